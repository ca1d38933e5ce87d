import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { hashedId } from '../../shared/ids.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { forEachConcurrently } from '../runtime/concurrency.ts';
import { assignmentKey, expertHomeAssignmentKey, expertHomeKey, stripKeys } from './keys.ts';
import { batchGetAll, queryAll } from './query.ts';
import type { AssignmentRecord } from './reviews.ts';

/**
 * An expert's home in one review round: the subject of the one link each expert gets a round (the
 * invitation, reminders and reassignments carry it), with the expert's language for the round and
 * whether they declined it. Beside it, one small pointer item per assignment, so the page reads its
 * reviews with one Query and one BatchGet — nothing here grows with the round, only with the expert's
 * own load.
 */
export interface ExpertHomeRecord {
  homeId: string;
  competitionId: string;
  roundId: string;
  expertEmail: string;
  /** Links carry this version; renewing the link bumps it and every older link stops working. */
  linkVersion: number;
  /** Chosen on the page; the round's mails and pages use it from then on. */
  language?: 'zh' | 'en';
  /** Set once when the expert declined the whole round (every pending review then goes to a backup). */
  declinedAt?: string;
  declineReason?: string;
  createdAt: string;
}

/** Deterministic: the same expert in the same round always has the same home (and a replay finds it). */
export const expertHomeIdOf = (competitionId: string, roundId: string, expertEmail: string) =>
  hashedId('home', competitionId, roundId, expertEmail);

/** The home's fields set only where absent: a write that never fails, so it can sit in any step or transaction. */
export const expertHomeUpsert = (competitionId: string, roundId: string, expertEmail: string, at: string) => ({
  TableName: tableName(),
  Key: expertHomeKey(expertHomeIdOf(competitionId, roundId, expertEmail)),
  UpdateExpression: [
    'SET homeId = if_not_exists(homeId, :id), competitionId = if_not_exists(competitionId, :c)',
    'roundId = if_not_exists(roundId, :r), expertEmail = if_not_exists(expertEmail, :e)',
    'linkVersion = if_not_exists(linkVersion, :one), createdAt = if_not_exists(createdAt, :at)',
  ].join(', '),
  ExpressionAttributeValues: {
    ':id': expertHomeIdOf(competitionId, roundId, expertEmail),
    ':c': competitionId,
    ':r': roundId,
    ':e': expertEmail,
    ':one': 1,
    ':at': at,
  },
});

/** The pointer from the expert's home to one of their assignments (the same item however often it is written). */
export const expertHomePointer = (
  a: Pick<AssignmentRecord, 'competitionId' | 'roundId' | 'expertEmail' | 'assignmentId'>,
) => ({
  TableName: tableName(),
  Item: {
    ...expertHomeAssignmentKey(expertHomeIdOf(a.competitionId, a.roundId, a.expertEmail), a.assignmentId),
    assignmentId: a.assignmentId,
  },
});

/** Every expert's home of a round and the pointers to their assignments; idempotent, so a replayed step repeats it. */
export const recordExpertHomes = async (
  assignments: Array<Pick<AssignmentRecord, 'competitionId' | 'roundId' | 'expertEmail' | 'assignmentId'>>,
  at: string,
) => {
  const experts = new Map(assignments.map((a) => [`${a.competitionId}|${a.roundId}|${a.expertEmail}`, a]));
  await forEachConcurrently([...experts.values()], 32, async (a) => {
    await documentClient().send(new UpdateCommand(expertHomeUpsert(a.competitionId, a.roundId, a.expertEmail, at)));
  });
  await forEachConcurrently(assignments, 32, async (a) => {
    await documentClient().send(new PutCommand(expertHomePointer(a)));
  });
};

export const getExpertHome = async (homeId: string): Promise<ExpertHomeRecord | undefined> => {
  const r = await documentClient().send(new GetCommand({ TableName: tableName(), Key: expertHomeKey(homeId) }));
  return r.Item ? (stripKeys(r.Item) as unknown as ExpertHomeRecord) : undefined;
};

/** The home's assignments as stored now (a strongly consistent read: the page follows the expert's own writes). */
export const homeAssignments = async (homeId: string): Promise<AssignmentRecord[]> => {
  const { pk } = expertHomeKey(homeId);
  const pointers = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
    ExpressionAttributeValues: { ':pk': pk, ':a': 'A#' },
    ProjectionExpression: 'assignmentId',
  });
  const items = await batchGetAll(
    pointers.map((p) => assignmentKey(p.assignmentId as string)),
    { consistent: true },
  );
  return items
    .map((i) => stripKeys(i) as unknown as AssignmentRecord)
    .sort(
      (a, b) =>
        (a.assignedAt ?? a.updatedAt).localeCompare(b.assignedAt ?? b.updatedAt) ||
        a.assignmentId.localeCompare(b.assignmentId),
    );
};

export const setHomeLanguage = (homeId: string, language: 'zh' | 'en') =>
  documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: expertHomeKey(homeId),
      UpdateExpression: 'SET #l = :l',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#l': 'language' },
      ExpressionAttributeValues: { ':l': language },
    }),
  );

/** Records that the expert declined the round, once (the first reason stays); false when it was already recorded. */
export const recordRoundDeclined = async (homeId: string, reason: string, at: Date): Promise<boolean> => {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: expertHomeKey(homeId),
        UpdateExpression: 'SET declinedAt = :at, declineReason = :r',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(declinedAt)',
        ExpressionAttributeValues: { ':at': at.toISOString(), ':r': reason },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/** A new link version: every link sent before stops working. Returns the new version (undefined: no such home). */
export const renewHomeLink = async (homeId: string): Promise<number | undefined> => {
  try {
    const r = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: expertHomeKey(homeId),
        UpdateExpression: 'ADD linkVersion :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return r.Attributes?.linkVersion as number;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return undefined;
    throw e;
  }
};
