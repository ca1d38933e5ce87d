import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportJob, ExportStatus } from '../../shared/exports.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { exportJobKey, stripKeys } from './keys.ts';
import { setIfStatus } from './status-update.ts';

/**
 * CSV export jobs. Inserting one starts the export (the table's stream hands new EXPORT# items to
 * the export worker); the worker moves it QUEUED → RUNNING → DONE or FAILED and counts rows as it goes.
 */
export const createExportJob = async (job: ExportJob): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...exportJobKey(job.exportId), ...job },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getExportJob = async (exportId: string): Promise<ExportJob | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: exportJobKey(exportId), ConsistentRead: true }),
  );
  return r.Item ? (stripKeys(r.Item) as unknown as ExportJob) : undefined;
};

/** Sets fields of a job still in one of `from`; false when it is not (finished by another run). */
export const updateExportJob = (exportId: string, from: ExportStatus[], set: Partial<ExportJob>, at: string) =>
  setIfStatus(exportJobKey(exportId), from, set, at);
