import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { idempotencyKey, stripKeys } from './keys.ts';

/**
 * Idempotency records of mutating admin requests (`Idempotency-Key`): claimed
 * before the change runs (IN_PROGRESS, for as long as the function may run),
 * completed with the response after it, released when it fails so a retry can
 * run again. Kept a day (TTL), as entry creation keeps its own.
 */
export interface IdempotencyRecord {
  state: 'IN_PROGRESS' | 'COMPLETED';
  requestHash: string;
  /** An IN_PROGRESS claim lapses then (a crashed attempt does not block retries for long). */
  inProgressUntil?: string;
  status?: number;
  body?: unknown;
}

const TTL_SECONDS = 24 * 3600;

export const getIdempotency = async (scope: string, key: string): Promise<IdempotencyRecord | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKey(scope, key), ConsistentRead: true }),
  );
  return r.Item ? (stripKeys(r.Item) as unknown as IdempotencyRecord) : undefined;
};

/** Claims the key for this request; false when another attempt holds it or has completed it. */
export const claimIdempotency = async (
  scope: string,
  key: string,
  requestHash: string,
  now: Date,
  holdSeconds: number,
): Promise<boolean> => {
  const record: IdempotencyRecord = {
    state: 'IN_PROGRESS',
    requestHash,
    inProgressUntil: new Date(now.getTime() + holdSeconds * 1000).toISOString(),
  };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...idempotencyKey(scope, key), ...record, ttl: Math.floor(now.getTime() / 1000) + TTL_SECONDS },
        // A lapsed claim of the same request may be taken over; a completed one never.
        ConditionExpression:
          'attribute_not_exists(pk) OR (#s = :progress AND requestHash = :h AND inProgressUntil < :now)',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':progress': 'IN_PROGRESS', ':h': requestHash, ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

export const completeIdempotency = async (scope: string, key: string, response: { status: number; body: unknown }) => {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: idempotencyKey(scope, key),
      UpdateExpression: 'SET #s = :done, #status = :status, #body = :body REMOVE inProgressUntil',
      ExpressionAttributeNames: { '#s': 'state', '#status': 'status', '#body': 'body' },
      ExpressionAttributeValues: { ':done': 'COMPLETED', ':status': response.status, ':body': response.body ?? null },
    }),
  );
};

/** The change failed: let the next attempt with the same key run it again. */
export const releaseIdempotency = async (scope: string, key: string, now: Date) => {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: idempotencyKey(scope, key),
      UpdateExpression: 'SET inProgressUntil = :past',
      ConditionExpression: '#s = :progress',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':past': new Date(now.getTime() - 1).toISOString(), ':progress': 'IN_PROGRESS' },
    }),
  );
};
