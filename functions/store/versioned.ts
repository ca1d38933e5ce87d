import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { conflict, notFound } from '../../shared/errors.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { stripKeys } from './keys.ts';

/**
 * Read-modify-write of one item guarded by its `version`: a concurrent change
 * makes the write fail and the change is decided again on fresh data (a few
 * times, then 409). `change` returns undefined to write nothing.
 */
export const getVersioned = async <T>(key: { pk: string; sk: string }): Promise<T | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return r.Item ? (stripKeys(r.Item) as T) : undefined;
};

export const updateVersioned = async <T extends { version: number }>(
  key: { pk: string; sk: string },
  change: (current: T) => T | undefined,
  /** Storage attributes derived from the item (index keys). */
  extra: (next: T) => Record<string, unknown> = () => ({}),
): Promise<{ before: T; after: T; written: boolean }> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getVersioned<T>(key);
    if (!current) throw notFound('The record');
    const next = change(current);
    if (!next) return { before: current, after: current, written: false };
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...key, ...extra(next), ...next, version: current.version + 1 },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': current.version },
        }),
      );
      return { before: current, after: { ...next, version: current.version + 1 }, written: true };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
  throw conflict('CONCURRENT_UPDATE', 'The record was changed concurrently; try again');
};

/** Creates the item once; a replay finds it and returns what is stored. */
export const createOnce = async <T>(
  key: { pk: string; sk: string },
  item: T,
  extra: Record<string, unknown> = {},
): Promise<{ item: T; created: boolean }> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...key, ...extra, ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { item, created: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    return { item: (await getVersioned<T>(key))!, created: false };
  }
};
