import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';

/**
 * Sets fields of a job item (an import, an export) while its `status` is one of `from`, bumping
 * `version` and `updatedAt`; false when it is no longer in one of them (another run moved it on).
 */
export const setIfStatus = async (
  key: { pk: string; sk: string },
  from: readonly string[],
  set: Record<string, unknown>,
  at: string,
): Promise<boolean> => {
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = { ':at': at, ':one': 1 };
  const sets = ['updatedAt = :at', 'version = version + :one'];
  Object.entries(set).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    sets.push(`#f${i} = :f${i}`);
  });
  from.forEach((s, i) => {
    values[`:from${i}`] = s;
  });
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};
