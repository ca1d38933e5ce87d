import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Decision } from '../../shared/review/scoring.ts';
import { documentClient, tableName } from '../lib/aws.ts';
import { advancedIndexKey, decisionKey, outboxKey, roundKey, stripKeys } from './keys.ts';
import { queryIndexPage } from './index-query.ts';

/**
 * What a review round produces besides reviews: outbox messages (one per expert,
 * with the links), the callback that resumes the workflow, and the decisions.
 */
export interface OutboxMessage {
  expertEmail: string;
  competitionId: string;
  roundId: string;
  language: 'zh' | 'en';
  /** Paths of the expert's review links (the API's base URL goes in front). */
  links: Array<{ assignmentId: string; path: string }>;
  createdAt: string;
}

/** One message per expert and round, written once: a replayed step sends nothing twice. */
export const putOutboxMessage = async (m: OutboxMessage): Promise<boolean> => {
  try {
    await documentClient().send(new PutCommand({ TableName: tableName(), Item: { ...outboxKey(m.competitionId, m.roundId, m.expertEmail), ...m }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

export interface ReminderMessage {
  competitionId: string;
  roundId: string;
  expertEmail: string;
  hoursBefore: number;
  assignmentIds: string[];
  createdAt: string;
}

/** A reminder to one expert for one offset, written once (a replayed step does not remind twice). */
export const putReminder = async (m: ReminderMessage): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...outboxKey(m.competitionId, m.roundId, `${m.expertEmail}#REMINDER#${m.hoursBefore}`), kind: 'REMINDER', ...m },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

export const listOutbox = async (competitionId: string, roundId: string): Promise<Array<OutboxMessage | (ReminderMessage & { kind: 'REMINDER' })>> => {
  const out: Array<OutboxMessage | (ReminderMessage & { kind: 'REMINDER' })> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': outboxKey(competitionId, roundId, '').pk }, ExclusiveStartKey: start }),
    );
    out.push(...(r.Items ?? []).map((i) => stripKeys(i) as unknown as OutboxMessage));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** The wait step records its task token; the answer says whether the reviews are already all in. */
export const registerReviewWait = async (competitionId: string, roundId: string, taskToken: string): Promise<{ complete: boolean }> => {
  const r = await documentClient().send(
    new UpdateCommand({ TableName: tableName(), Key: roundKey(competitionId, roundId), UpdateExpression: 'SET reviewTaskToken = :t', ExpressionAttributeValues: { ':t': taskToken }, ReturnValues: 'ALL_NEW' }),
  );
  return { complete: !!r.Attributes?.reviewsCompletedAt };
};

/**
 * Exactly one caller may send the success for a given task token: the wait step
 * (reviews were complete before it registered) or the review that completed the
 * round. The conditional write decides.
 */
export const claimCallback = async (competitionId: string, roundId: string): Promise<string | undefined> => {
  try {
    const r = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: roundKey(competitionId, roundId),
        UpdateExpression: 'SET callbackSentFor = reviewTaskToken',
        ConditionExpression: 'attribute_exists(reviewTaskToken) AND attribute_exists(reviewsCompletedAt) AND (attribute_not_exists(callbackSentFor) OR callbackSentFor <> reviewTaskToken)',
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes?.reviewTaskToken as string;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return undefined;
    throw e;
  }
};

export const putDecisions = async (competitionId: string, roundId: string, decisions: Decision[], now: Date) => {
  let next = 0;
  const at = now.toISOString();
  const worker = async () => {
    while (next < decisions.length) {
      const d = decisions[next++]!;
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...decisionKey(competitionId, roundId, d.entryId),
            ...(d.advanced ? { gsi1pk: advancedIndexKey(competitionId, roundId), gsi1sk: d.entryId } : {}),
            competitionId,
            roundId,
            ...d,
            decidedAt: at,
          },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, decisions.length) }, worker));
};

export const listDecisions = async (competitionId: string, roundId: string): Promise<Array<Decision & { decidedAt: string }>> => {
  const out: Array<Decision & { decidedAt: string }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': decisionKey(competitionId, roundId, '').pk, ':s': `DECISION#${roundId}#` },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []).map((i) => stripKeys(i) as unknown as Decision & { decidedAt: string }));
    start = r.LastEvaluatedKey;
  } while (start);
  return out.sort((a, b) => a.overallRank - b.overallRank);
};

/** Entries that advanced from a round: the next round reviews these. */
export const listAdvanced = async (competitionId: string, roundId: string): Promise<string[]> => {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryIndexPage(advancedIndexKey(competitionId, roundId), 100, cursor);
    ids.push(...page.items.map((i) => String(i.entryId)));
    cursor = page.cursor;
  } while (cursor);
  return ids;
};
