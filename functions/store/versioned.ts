import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/audit.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { transactWithAudit } from './audit.ts';
import { stripKeys } from './keys.ts';

/**
 * Read-modify-write of one item guarded by its `version`: a concurrent change
 * makes the write fail and the change is decided again on fresh data (a few
 * times, then 409). `change` returns undefined to write nothing. Every write
 * that `audit` describes appends its audit record in the same transaction.
 */
export const getVersioned = async <T>(key: { pk: string; sk: string }): Promise<T | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return r.Item ? (stripKeys(r.Item) as T) : undefined;
};

/** Says what a change did, for the audit record; undefined for a change that decides nothing. */
export type Audit<T> = (before: T | undefined, after: T) => AuditEvent | undefined;

/** One conditional put, with its audit record when there is one to write. */
const put = async (
  Item: Record<string, unknown>,
  ConditionExpression: string,
  values: Record<string, unknown>,
  event?: AuditEvent,
) => {
  const item = {
    Put: {
      TableName: tableName(),
      Item,
      ConditionExpression,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
  // A one-item transaction when nothing is audited: a failed condition surfaces the same way either way.
  if (event) await transactWithAudit([item], event);
  else await documentClient().send(new TransactWriteCommand({ TransactItems: [item] }));
};

export const updateVersioned = async <T extends { version: number }>(
  key: { pk: string; sk: string },
  change: (current: T) => T | undefined,
  /** Storage attributes derived from the item (index keys). */
  extra: (next: T) => Record<string, unknown> = () => ({}),
  audit?: Audit<T>,
): Promise<{ before: T; after: T; written: boolean }> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getVersioned<T>(key);
    if (!current) throw notFound('The record');
    const next = change(current);
    if (!next) return { before: current, after: current, written: false };
    const after = { ...next, version: current.version + 1 };
    try {
      await put(
        { ...key, ...extra(next), ...after },
        'version = :v',
        { ':v': current.version },
        audit?.(current, after),
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
): Promise<{ item: T; created: boolean }> => {
  try {
    await put({ ...key, ...extra, ...item }, 'attribute_not_exists(pk)', {}, audit?.(undefined, item));
    return { item, created: true };
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    return { item: (await getVersioned<T>(key))!, created: false };
  }
};
