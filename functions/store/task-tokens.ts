import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { stripKeys } from './keys.ts';

type Item = Record<string, unknown>;

/**
 * Where a callback step (`.waitForTaskToken`) keeps its token: on the item of
 * what it waits for (the round, the awards, the project), in a token attribute
 * and a "sent for" attribute that records which token was resumed. Tokens stay
 * server-side; they never appear in a link.
 */
export interface TokenSlot {
  key: { pk: string; sk: string };
  tokenAttribute: string;
  /** The item is changed under its `version` elsewhere: every write here bumps it too. */
  versioned: boolean;
}

/** A wait resumed by whoever completes what it waits for (not by an organizer's decision). */
export interface WaitSlot extends TokenSlot {
  sentAttribute: string;
  /** Whether what the wait waits for has happened (read from the item). */
  ready: (item: Item) => boolean;
  /** The same as a condition, for an unversioned item whose readiness can be withdrawn concurrently. */
  readyCondition?: string;
  /** What the wait step resumes with. */
  output: (item: Item) => unknown;
}

const MAX_ATTEMPTS = 5;

const bumpVersion = (slot: TokenSlot) => (slot.versioned ? ', version = version + :one' : '');

/** Records the wait step's token (a replay records the same one) and returns the item as it now is. */
export const registerTaskToken = async (slot: TokenSlot, taskToken: string): Promise<Item> => {
  const r = await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: slot.key,
      UpdateExpression: `SET #t = :t${bumpVersion(slot)}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#t': slot.tokenAttribute },
      ExpressionAttributeValues: { ':t': taskToken, ...(slot.versioned ? { ':one': 1 } : {}) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys(r.Attributes ?? {});
};

/**
 * Exactly one caller may resume a given token: the wait step (what it waits for
 * had already happened when it registered) or whoever made it happen. The
 * conditional write decides; the winner gets the token and the item.
 */
export const claimTaskToken = async (slot: WaitSlot): Promise<{ token: string; item: Item } | undefined> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: slot.key, ConsistentRead: true }),
    );
    const item = read.Item;
    const token = item?.[slot.tokenAttribute];
    if (!item || typeof token !== 'string' || item[slot.sentAttribute] === token || !slot.ready(item)) return undefined;
    const conditions = ['#t = :t', '(attribute_not_exists(#s) OR #s <> :t)'];
    if (slot.versioned) conditions.push('version = :v');
    if (slot.readyCondition) conditions.push(slot.readyCondition);
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: slot.key,
          UpdateExpression: `SET #s = :t${bumpVersion(slot)}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: { '#t': slot.tokenAttribute, '#s': slot.sentAttribute },
          ExpressionAttributeValues: { ':t': token, ...(slot.versioned ? { ':v': item.version, ':one': 1 } : {}) },
        }),
      );
      return { token, item: stripKeys(item) };
    } catch (e) {
      // Claimed by someone else, or the item changed: decide again on fresh data.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
  return undefined;
};
