import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../../shared/errors.ts';
import { type Deal, MAX_DEALS_PER_NEED, MAX_MEETINGS_PER_ANSWER, type Meeting } from '../../shared/matching.ts';
import { type StatEntry, solverOf } from '../../shared/need-statistics.ts';
import type { NeedAnswer } from '../../shared/needs.ts';
import { INDEX } from '../function-spec.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { dealKey, entryKey, meetingKey, needActivityListKey, needAnswerKey, needKey, stripKeys } from './keys.ts';
import { type Page, batchGetAll, queryAll, queryIndexRanges, queryPage } from './query.ts';
import { getVersioned, updateVersioned } from './versioned.ts';

/**
 * Meetings (对接) and deals (签约) live beside their need, like its answers; each is also listed on GSI1
 * per competition (statistics, the organizer's deal list). The answer counts its meetings and the need
 * its deals, in the same transaction as the new record, so neither list grows without bound.
 */

/** An answer as stored: its own keys and its GSI1 listing (the competition's answers). */
export const answerItem = (a: NeedAnswer) => ({
  ...needAnswerKey(a.needId, a.entryId),
  ...answerIndex(a),
  ...a,
});
const answerIndex = (a: NeedAnswer) => ({
  gsi1pk: needActivityListKey('ANSWERS', a.competitionId),
  gsi1sk: `${a.needId}#${a.entryId}`,
});

export const getAnswer = (needId: string, entryId: string) => getVersioned<NeedAnswer>(needAnswerKey(needId, entryId));

/** The sponsor's decision on one answer, under optimistic concurrency. */
export const updateAnswer = (needId: string, entryId: string, change: (a: NeedAnswer) => NeedAnswer | undefined) =>
  updateVersioned<NeedAnswer>(needAnswerKey(needId, entryId), change, answerIndex);

const meetingIndex = (m: Meeting) => ({
  gsi1pk: needActivityListKey('MEETINGS', m.competitionId),
  gsi1sk: `${m.needId}#${m.meetingId}`,
});
const dealIndex = (d: Deal) => ({
  gsi1pk: needActivityListKey('DEALS', d.competitionId),
  gsi1sk: `${d.recordedAt}#${d.dealId}`,
});

/** Why a transaction was refused, by the index of the item whose condition failed. */
const failedAt = (e: unknown): number[] =>
  e instanceof TransactionCanceledException
    ? (e.CancellationReasons ?? []).flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []))
    : [];

const conflicted = (e: unknown) =>
  e instanceof TransactionCanceledException &&
  (e.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
  failedAt(e).length === 0;

/**
 * Runs a transaction; one that lost a race with another writer of the same items (a TransactionConflict,
 * no failed condition) is tried again a few times, then answered 409 — never a 500.
 */
const transactRetryingConflicts = async (items: TransactWriteCommandInput['TransactItems']) => {
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (e) {
      if (!conflicted(e)) throw e;
      if (attempt >= 4) throw conflict('CONCURRENT_UPDATE', 'The record was changed concurrently; try again');
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
    }
  }
};

/**
 * Proposes a meeting: the answer must be shortlisted and have room for another meeting (its count goes
 * up, with its version, so a concurrent decision on the answer is decided again on fresh data).
 */
export const createMeeting = async (m: Meeting): Promise<boolean> => {
  try {
    await transactRetryingConflicts([
      {
        Put: {
          TableName: tableName(),
          Item: { ...meetingKey(m.needId, m.entryId, m.meetingId), ...meetingIndex(m), ...m },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: needAnswerKey(m.needId, m.entryId),
          UpdateExpression: 'SET meetingCount = if_not_exists(meetingCount, :zero) + :one, version = version + :one',
          ConditionExpression:
            'attribute_exists(pk) AND #s = :shortlisted AND (attribute_not_exists(meetingCount) OR meetingCount < :max)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':shortlisted': 'SHORTLISTED',
            ':max': MAX_MEETINGS_PER_ANSWER,
          },
        },
      },
    ]);
    return true;
  } catch (e) {
    // A meeting of this id exists: the same proposal sent again (the page's form carries its id).
    if (failedAt(e).includes(0)) return false;
    if (!failedAt(e).includes(1)) throw e;
    const answer = await getAnswer(m.needId, m.entryId);
    if (!answer) throw notFound('Answer');
    if (answer.status !== 'SHORTLISTED')
      throw conflict('ANSWER_NOT_SHORTLISTED', 'Shortlist the answer before proposing a meeting');
    throw conflict('MEETING_LIMIT', `An answer may have at most ${MAX_MEETINGS_PER_ANSWER} meetings`);
  }
};

export const updateMeeting = (
  needId: string,
  entryId: string,
  meetingId: string,
  change: (m: Meeting) => Meeting | undefined,
) => updateVersioned<Meeting>(meetingKey(needId, entryId, meetingId), change, meetingIndex);

/** A need's meetings (all answers), grouped by answer, oldest first. */
export const listNeedMeetings = async (needId: string, limit: number, cursor?: string): Promise<Page<Meeting>> => {
  const page = await queryPage({ partition: needKey(needId).pk, sortPrefix: 'MEETING#' }, limit, cursor);
  return { items: page.items.map((i) => stripKeys(i) as unknown as Meeting), cursor: page.cursor };
};

/** The meetings of one answer (at most MAX_MEETINGS_PER_ANSWER). */
export const listAnswerMeetings = async (needId: string, entryId: string): Promise<Meeting[]> =>
  (
    await queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': needKey(needId).pk, ':s': `MEETING#${entryId}#` },
    })
  ).map((i) => stripKeys(i) as unknown as Meeting);

/**
 * Records a deal: the solver must have answered the need, and the need must have room for another deal
 * (its count goes up with its version, like an answer's meetings).
 */
export const createDeal = async (d: Deal): Promise<void> => {
  try {
    await transactRetryingConflicts([
      {
        Put: {
          TableName: tableName(),
          Item: { ...dealKey(d.needId, d.dealId), ...dealIndex(d), ...d },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: needKey(d.needId),
          UpdateExpression: 'SET dealCount = if_not_exists(dealCount, :zero) + :one, version = version + :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(dealCount) OR dealCount < :max)',
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': MAX_DEALS_PER_NEED },
        },
      },
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: needAnswerKey(d.needId, d.entryId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ]);
  } catch (e) {
    const failed = failedAt(e);
    if (failed.includes(2)) throw notFound('Answer');
    if (failed.includes(1)) throw conflict('DEAL_LIMIT', `A need may have at most ${MAX_DEALS_PER_NEED} deals`);
    throw e;
  }
};

export const updateDeal = (needId: string, dealId: string, change: (d: Deal) => Deal | undefined) =>
  updateVersioned<Deal>(dealKey(needId, dealId), change, dealIndex);

/** A need's deals (at most MAX_DEALS_PER_NEED), in the order they were recorded. */
export const listNeedDeals = async (needId: string): Promise<Deal[]> =>
  (
    await queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': needKey(needId).pk, ':s': 'DEAL#' },
    })
  ).map((i) => stripKeys(i) as unknown as Deal);

/** The organizer's list of a competition's deals, most recently recorded first. */
export const listCompetitionDeals = async (
  competitionId: string,
  limit: number,
  cursor?: string,
): Promise<Page<Deal>> => {
  const page = await queryPage(
    { index: INDEX.list, partition: needActivityListKey('DEALS', competitionId) },
    limit,
    cursor,
    true,
  );
  return { items: page.items.map((i) => stripKeys(i) as unknown as Deal), cursor: page.cursor };
};

/**
 * Every record of one kind for a competition's needs, only the attributes statistics read. Answers and
 * meetings sort by need: given need ids as `boundaries`, the listing is read as that many ranges at once.
 */
export const listActivity = (
  kind: 'ANSWERS' | 'MEETINGS' | 'DEALS',
  competitionId: string,
  attributes: string[],
  boundaries: string[] = [],
) =>
  queryIndexRanges(needActivityListKey(kind, competitionId), kind === 'DEALS' ? [] : boundaries, {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a])),
  });

/** Answering entries as statistics count them, read from the entries (answers written before `solver` existed). */
export const getAnsweringEntries = async (entryIds: string[]): Promise<Map<string, StatEntry>> => {
  const items = await batchGetAll(entryIds.map(entryKey), {
    projection: 'entryId, #s, organizationKey, applicant.#r',
    names: { '#s': 'status', '#r': 'region' },
    parallel: 4,
  });
  return new Map(
    items.map((item) => [
      String(item.entryId),
      solverOf(item as unknown as { status: string; organizationKey: string; applicant: { region: string } }),
    ]),
  );
};
