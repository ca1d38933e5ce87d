import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicantNoticeKind } from '../../shared/applicant-notices.ts';
import type { LinkPurpose } from '../../shared/links.ts';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { outboxKey, stripKeys } from './keys.ts';
import { queryAll, queryPage } from './query.ts';

/**
 * The outbox: every message the system sends (review links, reminders, sponsor
 * confirmations, appointments, organizer notices), written once per key by the
 * step that decides to send it; the table's stream delivers it.
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
  /** The organizer renewed the expert's link to their home in the round (the older one stopped working). */
  | 'EXPERT_HOME_LINK'
  /** A challenge sponsor is asked to confirm the winning solver (揭榜挂帅); roundId "awards". */
  | 'SPONSOR_CONFIRMATION'
  /** A winner's lead is offered the project-manager appointment (项目经理聘任); roundId "handoff". */
  | 'APPOINTMENT'
  /** The project manager's workspace link, once the appointment is accepted; roundId "handoff". */
  | 'PROJECT_WORKSPACE'
  /** Something the organizer must act on (an appointment that timed out). */
  | 'ORGANIZER_NOTICE'
  /** A need's sponsor gets its signed link (needs imported from CSV; on the organizer's request); roundId "needs". */
  | 'NEED_SPONSOR_LINK'
  /** An applicant is told what happened to their entry (shared/applicant-notices.ts); to the lead's address. */
  | ApplicantNoticeKind;

/** The outbox stages that are not a review round's (their messages' `roundId`), with the name mails show. */
export const NON_ROUND_STAGES = {
  awards: { zh: '评奖', en: 'Awards' },
  handoff: { zh: '项目转化', en: 'Project hand-off' },
  needs: { zh: '企业需求', en: 'Enterprise needs' },
} as const;

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
  /**
   * What the message links to; for WITHDRAWN, the assignments taken back. Only what is needed to
   * sign the link at send time is stored — never a working link, which would be a bearer secret at rest.
   */
  links: OutboxLink[];
  /** How many reviews a review message is about (its one link opens the expert's home, which lists them). */
  reviews?: number;
  /** The round's close, quoted in the message. */
  closesAt: string;
  hoursBefore?: number;
  createdAt: string;
  /** Set by the delivery function once SES accepted the message. */
  deliveredAt?: string;
  messageId?: string;
  /** Set when SES refused this message for good (a bad address, a rejected message): never retried. */
  refusedAt?: string;
  refusal?: { code: string; message: string };
}

export interface OutboxLink {
  /** The link's subject: an assignment, an awards track, a project. */
  assignmentId: string;
  /** Present when the message carries a link: signed by the delivery function when it sends. */
  purpose?: LinkPurpose;
  version?: number;
  expiresAt?: string;
}

export const outboxMessageKey = {
  assigned: (email: string) => email,
  added: (email: string, assignmentId: string) => `${email}#ADDED#${assignmentId}`,
  reminder: (email: string, hoursBefore: number) => `${email}#REMINDER#${hoursBefore}`,
  withdrawn: (email: string, assignmentId: string) => `${email}#WITHDRAWN#${assignmentId}`,
  homeLink: (email: string, version: number) => `${email}#HOME#v${version}`,
  sponsor: (trackId: string) => `SPONSOR#${trackId}`,
  appointment: (projectId: string) => `APPOINTMENT#${projectId}`,
  workspace: (projectId: string, version: number) => `WORKSPACE#${projectId}#v${version}`,
  organizer: (subject: string) => `ORGANIZER#${subject}`,
  needSponsor: (needId: string, version: number) => `NEED#${needId}#v${version}`,
};

/** A message as the item a transaction puts (once per key, like putOutboxMessage). */
export const outboxPut = (m: OutboxMessage) => ({
  Put: {
    TableName: tableName(),
    Item: { ...outboxKey(m.competitionId, m.roundId, m.messageKey), ...m },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * A message put by the transaction that makes its event happen (an entry's submission): that
 * transaction commits once, guarded by the record's version, so the message needs no condition of its
 * own — and one would turn into a misleading cancellation reason for the caller's error mapping.
 */
export const outboxPutWithEvent = (m: OutboxMessage) => ({
  Put: { TableName: tableName(), Item: { ...outboxKey(m.competitionId, m.roundId, m.messageKey), ...m } },
});

/** Written once per key: a replayed step sends nothing twice. Returns whether this call wrote it. */
export const putOutboxMessage = async (m: OutboxMessage): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...outboxKey(m.competitionId, m.roundId, m.messageKey), ...m },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

const KEEP_DELIVERED_MS = 30 * 24 * 3600_000;

/** Records that SES accepted a message (a redelivered stream record then sends nothing more). */
export const markDelivered = async (
  m: Pick<OutboxMessage, 'competitionId' | 'roundId' | 'messageKey' | 'closesAt'>,
  messageId: string,
  at: Date,
): Promise<void> => {
  // Kept a month past delivery and past the close, whichever is later: long enough that a replayed step
  // finds it (and sends nothing again), not forever.
  const keepUntil = Math.max(at.getTime(), Date.parse(m.closesAt) || 0) + KEEP_DELIVERED_MS;
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(m.competitionId, m.roundId, m.messageKey),
      UpdateExpression:
        'SET deliveredAt = if_not_exists(deliveredAt, :at), messageId = if_not_exists(messageId, :id), #ttl = if_not_exists(#ttl, :ttl)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':at': at.toISOString(), ':id': messageId, ':ttl': Math.floor(keepUntil / 1000) },
    }),
  );
};

/**
 * Records that SES refused a message for good, so the stream moves on to the
 * records behind it; the organizer sees the refusal on the outbox route.
 */
export const markRefused = async (
  m: Pick<OutboxMessage, 'competitionId' | 'roundId' | 'messageKey'>,
  refusal: { code: string; message: string },
  at: Date,
): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: outboxKey(m.competitionId, m.roundId, m.messageKey),
      UpdateExpression: 'SET refusedAt = if_not_exists(refusedAt, :at), refusal = if_not_exists(refusal, :r)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at.toISOString(), ':r': refusal },
    }),
  );
};

export const getOutboxMessage = async (
  competitionId: string,
  roundId: string,
  messageKey: string,
): Promise<OutboxMessage | undefined> => {
  const r = await documentClient().send(
    new GetCommand({
      TableName: tableName(),
      Key: outboxKey(competitionId, roundId, messageKey),
      ConsistentRead: true,
    }),
  );
  return r.Item ? (stripKeys(r.Item) as unknown as OutboxMessage) : undefined;
};

/** A page of outbox messages ends before this many bytes (an expert with hundreds of links makes a large message). */
export const OUTBOX_PAGE_BYTES = 384 * 1024;

/** One page of a round's (or stage's) outbox, in message-key order. */
export const listOutboxPage = async (competitionId: string, roundId: string, limit: number, cursor?: string) => {
  const list = { partition: outboxKey(competitionId, roundId, '').pk };
  const page = await queryPage(list, limit, cursor, false, OUTBOX_PAGE_BYTES);
  return { items: page.items.map((i) => stripKeys(i) as unknown as OutboxMessage), cursor: page.cursor };
};

export const listOutbox = async (competitionId: string, roundId: string): Promise<OutboxMessage[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': outboxKey(competitionId, roundId, '').pk },
  });
  return items
    .map((i) => stripKeys(i) as unknown as OutboxMessage)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.messageKey.localeCompare(b.messageKey));
};

/** A stage's messages (a round, "awards", "handoff", "needs"): written and waiting, sent, or refused by SES. */
export const countOutbox = async (competitionId: string, stage: string) => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p',
    ExpressionAttributeValues: { ':p': outboxKey(competitionId, stage, '').pk },
    ProjectionExpression: 'deliveredAt, refusedAt',
    ConsistentRead: true,
  });
  const sent = items.filter((i) => i.deliveredAt).length;
  const refused = items.filter((i) => !i.deliveredAt && i.refusedAt).length;
  return { pending: items.length - sent - refused, sent, refused };
};
