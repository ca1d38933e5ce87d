import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { tableName } from '../runtime/aws.ts';
import { type TxItem, transactWithAudit } from './audit.ts';
import { getImportJob } from './imports.ts';
import { importJobKey } from './keys.ts';
import { type OutboxMessage, outboxPut } from './outbox.ts';
import { type NeedRecord, needItem } from './needs.ts';
import { searchBlockPuts } from './need-search.ts';

/**
 * Needs one chunk of an import writes: a need item may approach 40 KB (two 4,000-character
 * descriptions, their confidential parts), so 30 of them stay well inside a transaction's 4 MB; with each
 * sponsor's link message, published needs' keyword-search lines (at most one update per block), the job's
 * progress and the chunk's audit record (two items): at most 93 of a transaction's 100 items.
 */
export const NEED_IMPORT_CHUNK_ROWS = 30;

/**
 * Applies rows [start, start + needs.length) of an APPLYING needs import: every need (ids derived from the
 * import and the row, so a second run writes the same ones), each sponsor's link message and the job's
 * progress in one transaction with the chunk's audit record, conditioned on the job still being at `start`. False when another run
 * applied this chunk already.
 */
export const applyNeedChunk = async (
  job: { importId: string; competitionId: string; by?: string },
  start: number,
  needs: NeedRecord[],
  messages: OutboxMessage[],
  at: string,
): Promise<boolean> => {
  const writes: TxItem[] = [
    ...needs.map((n) => ({
      Put: { TableName: tableName(), Item: needItem(n), ConditionExpression: 'attribute_not_exists(pk)' },
    })),
    ...messages.map(outboxPut),
    ...searchBlockPuts(needs),
  ];
  const progress: TxItem = {
    Update: {
      TableName: tableName(),
      Key: importJobKey(job.importId),
      UpdateExpression: 'SET appliedRows = :end, created = created + :c, updatedAt = :at, version = version + :one',
      ConditionExpression: '#s = :applying AND appliedRows = :start',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':end': start + needs.length,
        ':start': start,
        ':c': needs.length,
        ':at': at,
        ':one': 1,
        ':applying': 'APPLYING',
      },
    },
  };
  try {
    await transactWithAudit([...writes, progress], {
      competitionId: job.competitionId,
      type: 'NEEDS_IMPORTED',
      subject: job.importId,
      by: job.by ?? 'import',
      at,
      data: { rows: [start, start + needs.length], status: needs[0]?.status, needIds: needs.map((n) => n.needId) },
    });
    return true;
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    const current = await getImportJob(job.importId);
    if (current?.status !== 'APPLYING' || current.appliedRows !== start) return false; // applied by another run
    throw e;
  }
};
