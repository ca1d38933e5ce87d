import { observed } from '../runtime/observability.ts';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { now } from '../runtime/clock.ts';
import { logger } from '../runtime/logger.ts';
import { runExport } from '../services/csv-export.ts';

/**
 * Produces CSV exports, driven by the table's stream: the event source mapping passes only newly
 * inserted EXPORT# items. `runExport` reads the job again, so a redelivered record of a finished
 * export does nothing; a failure is reported for its record alone (partial batch response).
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
  .use(observed())
  .handler(async (event) => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const exportId = record.dynamodb?.NewImage?.exportId?.S;
      if (!exportId) continue;
      try {
        await runExport(exportId, now);
      } catch (e) {
        logger.error('export failed; the record will be retried', { error: e as Error, exportId });
        batchItemFailures.push({ itemIdentifier: record.dynamodb!.SequenceNumber! });
      }
    }
    return { batchItemFailures };
  });
