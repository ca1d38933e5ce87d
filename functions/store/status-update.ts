import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';

/**
 * The update that sets fields of an item with a `status` (a document, an import, an export) while that
 * status is one of `from`, bumping `version` and `updatedAt`. For a transaction item or an UpdateItem.
 */
export const statusUpdate = (
  key: { pk: string; sk: string },
  from: readonly string[],
  set: Record<string, unknown>,
  at: string,
) => {
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
  return {
    TableName: tableName(),
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

/** Applies a `statusUpdate`; false when the item is no longer in one of `from` (another run moved it on). */
export const setIfStatus = async (
  key: { pk: string; sk: string },
  from: readonly string[],
  set: Record<string, unknown>,
  at: string,
): Promise<boolean> => {
  try {
    await documentClient().send(new UpdateCommand(statusUpdate(key, from, set, at)));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};
