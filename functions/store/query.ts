import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { GSI1, decodeCursor, encodeCursor } from './keys.ts';

type Item = Record<string, unknown>;
type Query = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** One page of a GSI1 partition, with an opaque cursor bound to that partition. */
export const queryIndexPage = async (
  gsi1pk: string,
  limit: number,
  cursor: string | undefined,
  newestFirst = false,
) => {
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': gsi1pk },
      ScanIndexForward: !newestFirst,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, gsi1pk),
    }),
  );
  return { items: r.Items ?? [], cursor: encodeCursor(r.LastEvaluatedKey) };
};

/** Every item a query matches, reading page after page (the only such loop in the store). */
export const queryAll = async (query: Query): Promise<Item[]> => {
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({ ...query, TableName: tableName(), ExclusiveStartKey: start }),
    );
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Every item of a GSI1 partition, optionally only sort keys with a prefix. */
export const queryIndexAll = (gsi1pk: string, sortKeyPrefix?: string) =>
  queryAll({
    IndexName: GSI1,
    KeyConditionExpression: sortKeyPrefix ? 'gsi1pk = :p AND begins_with(gsi1sk, :s)' : 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': gsi1pk, ...(sortKeyPrefix ? { ':s': sortKeyPrefix } : {}) },
  });
