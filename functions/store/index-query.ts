import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../lib/aws.ts';
import { GSI1, decodeCursor, encodeCursor } from './keys.ts';

/** One page of a GSI1 partition, with an opaque cursor bound to that partition. */
export const queryIndexPage = async (gsi1pk: string, limit: number, cursor: string | undefined, newestFirst = false) => {
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
