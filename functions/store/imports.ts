import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportJob, ImportStatus } from '../../shared/imports.ts';
import type { ExpertInput } from '../../shared/review/experts.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import type { TxItem } from './audit.ts';
import { planExpertWrites } from './experts.ts';
import { importJobKey } from './keys.ts';
import { setIfStatus } from './status-update.ts';
import { createOnce, getVersioned } from './versioned.ts';

/**
 * Bulk import jobs. A job moves AWAITING_UPLOAD → VALIDATING → REJECTED, or → APPLYING → DONE; rows
 * are applied in chunks, each chunk's expert writes committed in one transaction with the job's
 * progress and counts, so a re-run (a redelivered event, a retry after a crash) continues at
 * `appliedRows` and no row is counted twice.
 */
export const createImportJob = async (job: ImportJob): Promise<void> => {
  await createOnce(importJobKey(job.importId), job);
};

export const getImportJob = (id: string) => getVersioned<ImportJob>(importJobKey(id));

/** Moves a job on from one of `from`; false when it is no longer in one of them (someone else did). */
export const moveImportJob = (
  job: ImportJob,
  from: ImportStatus[],
  set: Partial<ImportJob> & { status: ImportStatus },
  at: string,
) => setIfStatus(importJobKey(job.importId), from, set, at);

/** Rows one chunk applies: its changed experts and the job's progress fit in one transaction (100 items). */
export const IMPORT_CHUNK_ROWS = 99;

/**
 * Applies rows [start, start + experts.length) of an APPLYING job: reads the experts' current
 * content hashes, writes only new and changed experts (each conditioned on what was read) and
 * advances the job's progress and counts — all in one transaction, conditioned on the job still
 * being at `start`. Returns false when another run applied this chunk already.
 */
export const applyExpertChunk = async (
  importId: string,
  start: number,
  experts: ExpertInput[],
  at: string,
): Promise<boolean> => {
  for (let attempt = 0; ; attempt++) {
    const { writes, counts } = await planExpertWrites(experts, at);
    const progress: TxItem = {
      Update: {
        TableName: tableName(),
        Key: importJobKey(importId),
        UpdateExpression:
          'SET appliedRows = :end, created = created + :c, updated = updated + :u, unchanged = unchanged + :n, updatedAt = :at, version = version + :one',
        ConditionExpression: '#s = :applying AND appliedRows = :start',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':end': start + experts.length,
          ':start': start,
          ':c': counts.created,
          ':u': counts.updated,
          ':n': counts.unchanged,
          ':at': at,
          ':one': 1,
          ':applying': 'APPLYING',
        },
      },
    };
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: [...writes, progress] }));
      return true;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const job = await getImportJob(importId);
      if (job?.status !== 'APPLYING' || job.appliedRows !== start) return false; // applied by another run
      // An expert changed between the read and the write (another import): decide again on fresh data.
      if (attempt >= 4) throw e;
    }
  }
};
