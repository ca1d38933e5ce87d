import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/audit.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { type TxItem, transactWithAudit } from './audit.ts';
import { stripKeys } from './keys.ts';
import { queryAll } from './query.ts';

/**
 * Read-modify-write of one item guarded by its `version`: a concurrent change
 * makes the write fail and the change is decided again on fresh data (a few
 * times, then 409). `change` returns undefined to write nothing. Every write
 * that `audit` describes appends its audit record in the same transaction.
 */

/**
 * A list attribute (a history, a log) kept as items of its own under the record's partition, one per
 * line, written in the same transaction as the record: the record never grows with it, so no change
 * can run into DynamoDB's 400 KB item limit. Readers get the list back as if it were on the record.
 */
export interface LineLog {
  attribute: string;
  /** The partition the lines live in and their sort-key prefix (followed by a 6-digit line number). */
  pk: string;
  skPrefix: string;
}

const lineKey = (log: LineLog, n: number) => ({ pk: log.pk, sk: `${log.skPrefix}${String(n).padStart(6, '0')}` });
/** Lines one change may add: with the record and the audit record's two items, within a transaction's 100. */
const MAX_LINES_PER_CHANGE = 90;

export const getVersioned = async <T>(key: { pk: string; sk: string }, log?: LineLog): Promise<T | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  if (!r.Item) return undefined;
  const item = stripKeys(r.Item) as Record<string, unknown>;
  if (!log) return item as T;
  const lines = await queryAll({
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': log.pk, ':s': log.skPrefix },
    ConsistentRead: true,
  });
  return { ...item, [log.attribute]: lines.map((l) => l.line) } as T;
};

/** The record's item without its lines, and a Put for each line it adds to `before`. */
const split = (record: Record<string, unknown>, before: Record<string, unknown> | undefined, log?: LineLog) => {
  if (!log) return { item: record, lines: [] };
  const { [log.attribute]: all, ...item } = record;
  const list = (all as unknown[] | undefined) ?? [];
  const from = ((before?.[log.attribute] as unknown[] | undefined) ?? []).length;
  if (list.length - from > MAX_LINES_PER_CHANGE)
    throw new Error(`a change may add at most ${MAX_LINES_PER_CHANGE} lines`);
  const lines = list.slice(from).map((line, k) => ({
    Put: {
      TableName: tableName(),
      Item: { ...lineKey(log, from + k + 1), line },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  return { item: { ...item, [`${log.attribute}Count`]: list.length }, lines };
};

/** Says what a change did, for the audit record; undefined for a change that decides nothing. */
export type Audit<T> = (before: T | undefined, after: T) => AuditEvent | undefined;

/** One conditional put (and the lines it adds), with its audit record when there is one to write. */
const put = async (
  Item: Record<string, unknown>,
  ConditionExpression: string,
  values: Record<string, unknown>,
  event: AuditEvent | undefined,
  lines: Array<{ Put: Record<string, unknown> } | TxItem>,
) => {
  const item = {
    Put: {
      TableName: tableName(),
      Item,
      ConditionExpression,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
  const items = [item, ...lines] as Parameters<typeof transactWithAudit>[0];
  // A transaction even for one item: a failed condition surfaces the same way either way.
  if (event) await transactWithAudit(items, event);
  else await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
};

export const updateVersioned = async <T extends { version: number }>(
  key: { pk: string; sk: string },
  change: (current: T) => T | undefined,
  /** Storage attributes derived from the item (index keys). */
  extra: (next: T) => Record<string, unknown> = () => ({}),
  audit?: Audit<T>,
  log?: LineLog,
  /** Writes of other items that go with the change, in its transaction (e.g. a search signature). */
  also?: (before: T, after: T) => TxItem[],
): Promise<{ before: T; after: T; written: boolean }> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getVersioned<T>(key, log);
    if (!current) throw notFound('The record');
    const next = change(current);
    if (!next) return { before: current, after: current, written: false };
    const after = { ...next, version: current.version + 1 };
    const { item, lines } = split(after, current, log);
    try {
      await put(
        { ...key, ...extra(next), ...item },
        'version = :v',
        { ':v': current.version },
        audit?.(current, after),
        [...lines, ...(also?.(current, after) ?? [])],
      );
      return { before: current, after, written: true };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
    }
  }
  throw conflict('CONCURRENT_UPDATE', 'The record was changed concurrently; try again');
};

/** Creates the item once; a replay finds it and returns what is stored. */
export const createOnce = async <T>(
  key: { pk: string; sk: string },
  item: T,
  extra: Record<string, unknown> = {},
  audit?: Audit<T>,
  log?: LineLog,
): Promise<{ item: T; created: boolean }> => {
  const stored = split(item as Record<string, unknown>, undefined, log);
  try {
    await put(
      { ...key, ...extra, ...stored.item },
      'attribute_not_exists(pk)',
      {},
      audit?.(undefined, item),
      stored.lines,
    );
    return { item, created: true };
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    return { item: (await getVersioned<T>(key, log))!, created: false };
  }
};
