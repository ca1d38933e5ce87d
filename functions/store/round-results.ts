import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Decision } from '../../shared/review/scoring.ts';
import { documentClient, tableName } from '../lib/aws.ts';
import { advancedIndexKey, decisionKey, outboxKey, roundKey, stripKeys } from './keys.ts';
import { queryIndexPage } from './index-query.ts';

/**
 * What a review round produces besides reviews: outbox messages to experts,
 * the callback that resumes the workflow, and the decisions.
 */
export type OutboxKind =
  /** The first assignment: every link of the expert's reviews in this round. */
  | 'ASSIGNED'
  /** A backup or extra review given to the expert while the round is under way. */
  | 'ADDED'
  /** Pending reviews, some hours before the close. */
  | 'REMINDER'
  /** A pending review taken back (overdue and reassigned); its link no longer works. */
  | 'WITHDRAWN'
  /** A challenge sponsor is asked to confirm the winning solver (揭榜挂帅); roundId "awards". */
  | 'SPONSOR_CONFIRMATION'
  /** A winner's lead is offered the project-manager appointment (项目经理聘任); roundId "handoff". */
  | 'APPOINTMENT'
  /** Something the organizer must act on (an appointment that timed out). */
  | 'ORGANIZER_NOTICE';

export interface OutboxMessage {
  kind: OutboxKind;
  /** Unique within the round; the same message is written once however often a step is replayed. */
  messageKey: string;
  /** The recipient (an expert, a sponsor contact, an appointee or the organizer). */
  expertEmail: string;
  competitionId: string;
  roundId: string;
  language: 'zh' | 'en';
  /** Lines specific to the message (award, track, project), shown in its body. */
  details?: string[];
  /** Review links (paths; the API's base URL goes in front); for WITHDRAWN, the assignments taken back. */
  links: Array<{ assignmentId: string; path?: string }>;
  /** The round's close, quoted in the message. */
  closesAt: string;
  hoursBefore?: number;
  createdAt: string;
  /** Set by the delivery function once SES accepted the message. */
  deliveredAt?: string;
  messageId?: string;
}

export const outboxMessageKey = {
  assigned: (email: string) => email,
  added: (email: string, assignmentId: string) => `${email}#ADDED#${assignmentId}`,
  reminder: (email: string, hoursBefore: number) => `${email}#REMINDER#${hoursBefore}`,
  withdrawn: (email: string, assignmentId: string) => `${email}#WITHDRAWN#${assignmentId}`,
  sponsor: (trackId: string) => `SPONSOR#${trackId}`,
  appointment: (projectId: string) => `APPOINTMENT#${projectId}`,
  organizer: (subject: string) => `ORGANIZER#${subject}`,
};

/** Written once per key: a replayed step sends nothing twice. Returns whether this call wrote it. */
export const putOutboxMessage = async (m: OutboxMessage): Promise<boolean> => {
  try {
    await documentClient().send(new PutCommand({ TableName: tableName(), Item: { ...outboxKey(m.competitionId, m.roundId, m.messageKey), ...m }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/** Records that SES accepted a message (a redelivered stream record then sends nothing more). */
export const markDelivered = async (competitionId: string, roundId: string, messageKey: string, messageId: string, at: Date): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(competitionId, roundId, messageKey),
      UpdateExpression: 'SET deliveredAt = if_not_exists(deliveredAt, :at), messageId = if_not_exists(messageId, :id)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at.toISOString(), ':id': messageId },
    }),
  );
};

export const getOutboxMessage = async (competitionId: string, roundId: string, messageKey: string): Promise<OutboxMessage | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: outboxKey(competitionId, roundId, messageKey), ConsistentRead: true }));
  return r.Item ? (stripKeys(r.Item) as unknown as OutboxMessage) : undefined;
};

export const listOutbox = async (competitionId: string, roundId: string): Promise<OutboxMessage[]> => {
  const out: OutboxMessage[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': outboxKey(competitionId, roundId, '').pk }, ExclusiveStartKey: start }),
    );
    out.push(...(r.Items ?? []).map((i) => stripKeys(i) as unknown as OutboxMessage));
    start = r.LastEvaluatedKey;
  } while (start);
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.messageKey.localeCompare(b.messageKey));
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
