import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { hashedId } from '../../shared/ids.ts';
import type { AuditEvent } from '../../shared/audit.ts';
import { conflict } from '../../shared/errors.ts';
import { canonicalJson } from '../../shared/tokens.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { assignmentKey, reviewRevisionKey, roundKey, roundReviewsKey, stripKeys } from './keys.ts';
import { transactWithAudit, type TxItem } from './audit.ts';
import { ROUND_NOT_FROZEN } from './rounds.ts';
import { queryAll, queryIndexAll, queryIndexPage } from './query.ts';
import { forEachConcurrently } from '../runtime/concurrency.ts';
import { expertHomePointer, expertHomeUpsert, recordExpertHomes } from './expert-homes.ts';

/**
 * Review assignments and the round's review counters. The guarantees the round
 * workflow relies on: an assignment is created once however often the step is
 * replayed; a review counts once however often, or however concurrently, it is
 * submitted; exactly one caller claims the round's completion.
 */
export type AssignmentStatus = 'PENDING' | 'SUBMITTED' | 'DECLINED' | 'REVOKED';

export interface AssignmentRecord {
  assignmentId: string;
  competitionId: string;
  roundId: string;
  entryId: string;
  trackId: string;
  expertEmail: string;
  /** Links carry this version; bumping it (revoke, reassign) invalidates older links. */
  linkVersion: number;
  status: AssignmentStatus;
  scores?: Record<string, number>;
  comment?: string;
  submittedAt?: string;
  updatedAt: string;
  /** How many versions of the review were saved; each is its own item (`listReviewRevisions`), so no edit grows this one. */
  revisions?: number;
  /** A draft saved before submitting (not counted). */
  draft?: { scores: Record<string, number>; comment?: string; at: string };
  conflictReason?: string;
  /** When the expert was given the review (older records: their first updatedAt). */
  assignedAt?: string;
  /** A backup review: the declined or overdue assignment it replaces. */
  replaces?: string;
  /** Set on a declined or revoked assignment once its backup exists. */
  replacedBy?: string;
  /** An extra review asked for by disagreement pass k (分歧复核). */
  extraPass?: number;
  /** Declined with the whole round (from the expert's home): no backup review goes to this expert in the round. */
  roundDeclined?: boolean;
}

/** Per-track counters live beside the round's totals as flat attributes. */
const trackCounter = (kind: 'expected' | 'received', trackId: string) => `reviews#${kind}#${trackId}`;
const TRACK_COUNTER = /^reviews#(expected|received)#(.+)$/;

/** Deterministic id: the same entry–expert pair in the same round always gets the same assignment. */
export const assignmentIdOf = (competitionId: string, roundId: string, entryId: string, expertEmail: string) =>
  hashedId(competitionId, roundId, entryId, expertEmail);

export const createAssignments = async (
  competitionId: string,
  roundId: string,
  pairs: Array<{ entryId: string; trackId: string; expertEmail: string }>,
  now: Date,
): Promise<{ created: number; existing: number }> => {
  let created = 0;
  let existing = 0;
  const at = now.toISOString();
  // Conditional puts, 32 at a time: a replay finds every assignment already there.
  await forEachConcurrently(pairs, 32, async (p) => {
    const assignmentId = assignmentIdOf(competitionId, roundId, p.entryId, p.expertEmail);
    const item: AssignmentRecord = {
      assignmentId,
      competitionId,
      roundId,
      ...p,
      linkVersion: 1,
      status: 'PENDING',
      assignedAt: at,
      updatedAt: at,
      revisions: 0,
    };
    try {
      await documentClient().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...assignmentKey(assignmentId),
            gsi1pk: roundReviewsKey(competitionId, roundId),
            gsi1sk: `${p.entryId}#${p.expertEmail}`,
            ...item,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      created++;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      existing++;
    }
  });
  // Each expert's home in the round and its pointers (idempotent: a replay writes the same items again).
  await recordExpertHomes(
    pairs.map((p) => ({
      competitionId,
      roundId,
      expertEmail: p.expertEmail,
      assignmentId: assignmentIdOf(competitionId, roundId, p.entryId, p.expertEmail),
    })),
    at,
  );
  // The expected counts (total and per track) are fixed by the first delivery; replays keep them.
  const perTrack = new Map<string, number>();
  for (const p of pairs) perTrack.set(p.trackId, (perTrack.get(p.trackId) ?? 0) + 1);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':n': pairs.length, ':zero': 0 };
  const sets = [
    'expectedReviews = if_not_exists(expectedReviews, :n)',
    'receivedReviews = if_not_exists(receivedReviews, :zero)',
  ];
  [...perTrack].forEach(([trackId, n], k) => {
    names[`#e${k}`] = trackCounter('expected', trackId);
    names[`#r${k}`] = trackCounter('received', trackId);
    values[`:e${k}`] = n;
    sets.push(`#e${k} = if_not_exists(#e${k}, :e${k})`, `#r${k} = if_not_exists(#r${k}, :zero)`);
  });
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: roundKey(competitionId, roundId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ...(perTrack.size ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    }),
  );
  return { created, existing };
};

export const getAssignment = async (assignmentId: string): Promise<AssignmentRecord | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: assignmentKey(assignmentId), ConsistentRead: true }),
  );
  return r.Item ? (stripKeys(r.Item) as unknown as AssignmentRecord) : undefined;
};

export const listRoundAssignments = async (competitionId: string, roundId: string, limit: number, cursor?: string) => {
  const page = await queryIndexPage(roundReviewsKey(competitionId, roundId), limit, cursor);
  return { items: page.items.map((i) => stripKeys(i) as unknown as AssignmentRecord), cursor: page.cursor };
};

export interface ReviewProgress {
  expected: number;
  received: number;
  /** When the last expected review arrived (cleared when backup or extra reviewers are added). */
  completedAt?: string;
  perTrack: Record<string, { expected: number; received: number }>;
  /** The latest disagreement pass: its number and the entries it asked an extra review for. */
  extraPass?: { k: number; entryIds: string[] };
}

/** Every assignment of a round (all pages of the GSI1 partition). */
export const allRoundAssignments = async (competitionId: string, roundId: string): Promise<AssignmentRecord[]> =>
  (await queryIndexAll(roundReviewsKey(competitionId, roundId))).map(
    (i) => stripKeys(i) as unknown as AssignmentRecord,
  );

/** Reviews expected and received in a round, in total and per track, and when the last one arrived. */
export const getReviewProgress = async (competitionId: string, roundId: string): Promise<ReviewProgress> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: roundKey(competitionId, roundId), ConsistentRead: true }),
  );
  const perTrack: ReviewProgress['perTrack'] = {};
  for (const [k, v] of Object.entries(r.Item ?? {})) {
    const m = TRACK_COUNTER.exec(k);
    if (!m) continue;
    perTrack[m[2]!] ??= { expected: 0, received: 0 };
    perTrack[m[2]!]![m[1] as 'expected' | 'received'] = Number(v);
  }
  return {
    expected: Number(r.Item?.expectedReviews ?? 0),
    received: Number(r.Item?.receivedReviews ?? 0),
    completedAt: r.Item?.reviewsCompletedAt as string | undefined,
    perTrack,
    extraPass: r.Item?.extraPass as ReviewProgress['extraPass'],
  };
};

/**
 * Moves a PENDING assignment (at the link's version) to SUBMITTED or DECLINED and
 * adjusts one of the round's counters in the same transaction, so a review is
 * counted, or stops being expected, exactly once.
 */
/** Reviews of a tallied round never change: every review write checks the round is not frozen. */
const roundNotFrozen = (a: Pick<AssignmentRecord, 'competitionId' | 'roundId'>) => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: roundKey(a.competitionId, a.roundId),
    ConditionExpression: ROUND_NOT_FROZEN,
  },
});

const ROUND_FROZEN = () =>
  conflict('ROUND_FROZEN', 'This round has been tallied: its reviews are final and can no longer be changed');

/** Whether the transaction failed on its item at `index` (the round's freeze check). */
const failedAt = (e: unknown, index: number) =>
  e instanceof TransactionCanceledException && e.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';

/** One review write: the assignment's update, only while the round is not frozen. */
type ReviewUpdate = Omit<
  NonNullable<NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update']>,
  'TableName' | 'Key'
>;

const writeReview = async (a: AssignmentRecord, update: ReviewUpdate, audit?: AuditEvent, extra: TxItem[] = []) => {
  const items: TxItem[] = [
    { Update: { TableName: tableName(), Key: assignmentKey(a.assignmentId), ...update } },
    roundNotFrozen(a),
    ...extra,
  ];
  try {
    if (audit) return (await transactWithAudit(items, audit)).attempts;
    await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
    return 1;
  } catch (e) {
    if (failedAt(e, 1)) throw ROUND_FROZEN();
    throw e;
  }
};

const leavePending = (
  a: AssignmentRecord,
  linkVersion: number,
  change: {
    set: string;
    names?: Record<string, string>;
    values: Record<string, unknown>;
    to: AssignmentStatus;
    counter: 'receivedReviews' | 'expectedReviews';
    delta: number;
  },
  audit: AuditEvent,
  extra: TxItem[] = [],
) =>
  transactWithAudit(
    [
      {
        Update: {
          TableName: tableName(),
          Key: assignmentKey(a.assignmentId),
          UpdateExpression: `SET #s = :to, ${change.set}`,
          ConditionExpression: '#s = :pending AND linkVersion = :v',
          ExpressionAttributeNames: { '#s': 'status', ...change.names },
          ExpressionAttributeValues: { ':to': change.to, ':pending': 'PENDING', ':v': linkVersion, ...change.values },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: roundKey(a.competitionId, a.roundId),
          UpdateExpression: 'ADD #n :d, #t :d',
          ConditionExpression: ROUND_NOT_FROZEN,
          ExpressionAttributeNames: {
            '#n': change.counter,
            '#t': trackCounter(change.counter === 'receivedReviews' ? 'received' : 'expected', a.trackId),
          },
          ExpressionAttributeValues: { ':d': change.delta },
        },
      },
      ...extra,
    ],
    audit,
  );

/** The audit record of a review change: what a replay of the round needs. */
const reviewEvent = (
  a: AssignmentRecord,
  type: 'REVIEW_SUBMITTED' | 'REVIEW_EDITED' | 'REVIEW_DECLINED',
  at: string,
  data: Record<string, unknown>,
): AuditEvent => ({
  competitionId: a.competitionId,
  type,
  subject: a.assignmentId,
  by: `expert:${a.expertEmail}`,
  at,
  data: { roundId: a.roundId, entryId: a.entryId, trackId: a.trackId, ...data },
});

const sameReview = (a: AssignmentRecord, scores: Record<string, number>, comment?: string) =>
  canonicalJson({ s: a.scores ?? null, c: a.comment ?? null }) === canonicalJson({ s: scores, c: comment ?? null });

export interface SubmitResult {
  assignment: AssignmentRecord;
  /** This call moved the review from pending to submitted (and counted it). */
  counted: boolean;
  /** This call, and no other, claimed the round's completion. */
  completedRound: boolean;
  /** Transactions tried until the review and its audit record were written (1 = no contention). */
  attempts?: number;
}

/**
 * Saves a review for the assignment a link names. The first submission flips
 * PENDING → SUBMITTED and adds one to the round's counter in one transaction;
 * later ones are edits (each version is kept as its own revision item, the
 * counter does not change). A replay with the same content writes nothing.
 */
export const submitReview = async (
  assignmentId: string,
  linkVersion: number,
  scores: Record<string, number>,
  comment: string | undefined,
  now: Date,
): Promise<SubmitResult> => {
  const at = now.toISOString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await getAssignment(assignmentId);
    if (!current) throw conflict('ASSIGNMENT_NOT_FOUND', 'This review assignment does not exist');
    if (current.linkVersion !== linkVersion || current.status === 'REVOKED' || current.status === 'DECLINED') {
      throw conflict('LINK_REVOKED', 'This review link is no longer valid');
    }
    if (current.status === 'SUBMITTED' && sameReview(current, scores, comment)) {
      return { assignment: current, counted: false, completedRound: await claimCompletion(current, at) };
    }
    const review = { scores, ...(comment ? { comment } : {}) };
    // Each saved version is its own item, numbered: the conditions above let one writer take each number.
    const next = (current.revisions ?? 0) + 1;
    const revisionItem: TxItem = {
      Put: {
        TableName: tableName(),
        Item: {
          ...reviewRevisionKey(current.assignmentId, next),
          assignmentId: current.assignmentId,
          n: next,
          at,
          ...review,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    try {
      if (current.status === 'PENDING') {
        const { attempts } = await leavePending(
          current,
          linkVersion,
          {
            set: 'scores = :scores, #c = :comment, submittedAt = :at, updatedAt = :at, revisions = :n',
            names: { '#c': 'comment' },
            values: { ':scores': scores, ':comment': comment ?? null, ':at': at, ':n': next },
            to: 'SUBMITTED',
            counter: 'receivedReviews',
            delta: 1,
          },
          reviewEvent(current, 'REVIEW_SUBMITTED', at, review),
          [revisionItem],
        );
        const assignment: AssignmentRecord = {
          ...current,
          status: 'SUBMITTED',
          scores,
          comment,
          submittedAt: at,
          updatedAt: at,
          revisions: next,
        };
        return { assignment, counted: true, completedRound: await claimCompletion(assignment, at), attempts };
      }
      const update = {
        UpdateExpression: 'SET scores = :scores, #c = :comment, updatedAt = :at, revisions = :n',
        ConditionExpression: '#s = :submitted AND linkVersion = :v AND updatedAt = :seen',
        ExpressionAttributeNames: { '#s': 'status', '#c': 'comment' },
        ExpressionAttributeValues: {
          ':submitted': 'SUBMITTED',
          ':scores': scores,
          ':comment': comment ?? null,
          ':at': at,
          ':n': next,
          ':v': linkVersion,
          ':seen': current.updatedAt,
        },
      };
      const audit = reviewEvent(current, 'REVIEW_EDITED', at, review);
      const attempts = await writeReview(current, update, audit, [revisionItem]);
      const assignment: AssignmentRecord = {
        ...current,
        scores,
        comment,
        updatedAt: at,
        revisions: next,
      };
      return { assignment, counted: false, completedRound: await claimCompletion(assignment, at), attempts };
    } catch (e) {
      if (failedAt(e, 1)) throw ROUND_FROZEN();
      // Someone else changed it between our read and our write: read again and decide again.
      if (!(e instanceof ConditionalCheckFailedException || e instanceof TransactionCanceledException)) throw e;
    }
  }
  throw conflict('CONCURRENT_UPDATE', 'The review was changed concurrently; try again');
};

/** One saved version of a review. */
export interface ReviewRevision {
  n: number;
  at: string;
  scores: Record<string, number>;
  comment?: string;
}

/** Every saved version of a review, oldest first. */
export const listReviewRevisions = async (assignmentId: string): Promise<ReviewRevision[]> =>
  (
    await queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
      ExpressionAttributeValues: { ':p': assignmentKey(assignmentId).pk, ':r': 'REV#' },
      ConsistentRead: true,
    })
  ).map((i) => stripKeys(i) as unknown as ReviewRevision);

/** Saves a draft of a pending review: stored, not counted. */
export const saveDraft = async (
  assignmentId: string,
  linkVersion: number,
  scores: Record<string, number>,
  comment: string | undefined,
  now: Date,
): Promise<void> => {
  const current = await getAssignment(assignmentId);
  if (!current) throw conflict('ASSIGNMENT_NOT_FOUND', 'This review assignment does not exist');
  try {
    await writeReview(current, {
      UpdateExpression: 'SET draft = :d, updatedAt = :at',
      ConditionExpression: '#s = :pending AND linkVersion = :v',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':d': { scores, ...(comment ? { comment } : {}), at: now.toISOString() },
        ':at': now.toISOString(),
        ':pending': 'PENDING',
        ':v': linkVersion,
      },
    });
  } catch (e) {
    if (failedAt(e, 0))
      throw conflict(
        'NOT_PENDING',
        'Only a review not yet submitted can be saved as a draft; submit again to change it',
      );
    throw e;
  }
};

/**
 * The expert declares a conflict of interest (回避) before submitting: the
 * assignment is declined (the round workflow assigns a replacement) and its link
 * stops working. Declaring twice is harmless.
 */
export const declareConflict = async (
  assignmentId: string,
  linkVersion: number,
  reason: string,
  now: Date,
  /** Declined with the whole round from the expert's home: the follow-up step gives them no backup review. */
  wholeRound = false,
): Promise<{ counted: boolean; completedRound: boolean }> => {
  const current = await getAssignment(assignmentId);
  if (!current) throw conflict('ASSIGNMENT_NOT_FOUND', 'This review assignment does not exist');
  if (current.status === 'DECLINED') return { counted: false, completedRound: false };
  try {
    // Declined reviews are no longer expected: the round can complete without them.
    const at = now.toISOString();
    await leavePending(
      current,
      linkVersion,
      {
        set: `conflictReason = :r, updatedAt = :at${wholeRound ? ', roundDeclined = :yes' : ''}`,
        values: { ':r': reason, ':at': at, ...(wholeRound ? { ':yes': true } : {}) },
        to: 'DECLINED',
        counter: 'expectedReviews',
        delta: -1,
      },
      reviewEvent(current, 'REVIEW_DECLINED', at, { reason, ...(wholeRound ? { wholeRound } : {}) }),
    );
  } catch (e) {
    if (!(e instanceof TransactionCanceledException)) throw e;
    if (failedAt(e, 1)) throw ROUND_FROZEN();
    const again = await getAssignment(assignmentId);
    if (again?.status === 'DECLINED') return { counted: false, completedRound: false };
    throw conflict('NOT_PENDING', 'A submitted review cannot be declined; contact the organizer');
  }
  return { counted: true, completedRound: await claimCompletion(current, now.toISOString()) };
};

/**
 * Exactly one caller wins the round's completion: the conditional write that
 * records it succeeds once, when every expected review has arrived. Any save
 * retries the claim, so a crash between the save and the claim is not fatal.
 */
const claimCompletion = async (a: AssignmentRecord, at: string): Promise<boolean> => {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: roundKey(a.competitionId, a.roundId),
        UpdateExpression: 'SET reviewsCompletedAt = :at',
        ConditionExpression: 'receivedReviews >= expectedReviews AND attribute_not_exists(reviewsCompletedAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/**
 * New link versions for reviews still open to their expert (pending or submitted, which can still be
 * changed): every review link signed before stops working. A review that moved on meanwhile keeps its
 * version. Answers the reviews at their new versions (a retry bumps again: the links only get newer).
 */
export const renewReviewLinks = async (assignments: AssignmentRecord[]): Promise<AssignmentRecord[]> => {
  const renewed: AssignmentRecord[] = [];
  await forEachConcurrently(assignments, 8, async (a) => {
    try {
      await documentClient().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: assignmentKey(a.assignmentId),
          UpdateExpression: 'SET linkVersion = linkVersion + :one',
          ConditionExpression: '#s = :status AND linkVersion = :v',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':status': a.status, ':v': a.linkVersion },
        }),
      );
      renewed.push({ ...a, linkVersion: a.linkVersion + 1 });
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  });
  return renewed;
};

/** Why a review is added to a round under way. */
export type AddedReview = { kind: 'REPLACES'; assignment: AssignmentRecord } | { kind: 'EXTRA'; pass: number };

/**
 * Adds one backup or extra review in one transaction, so a replay adds it at
 * most once: the new assignment (only if absent), the replaced assignment
 * marked (a declined one keeps its status; a pending one is revoked and its
 * link stops working), and the round's expected counts. Adding a review also
 * clears the round's completion: the round completes again when it arrives.
 * Returns false when the state moved on (already added; the overdue review
 * arrived meanwhile).
 */
export const addReview = async (
  pair: { competitionId: string; roundId: string; entryId: string; trackId: string; expertEmail: string },
  why: AddedReview,
  now: Date,
): Promise<AssignmentRecord | undefined> => {
  const at = now.toISOString();
  const assignmentId = assignmentIdOf(pair.competitionId, pair.roundId, pair.entryId, pair.expertEmail);
  const item: AssignmentRecord = {
    assignmentId,
    ...pair,
    linkVersion: 1,
    status: 'PENDING',
    assignedAt: at,
    updatedAt: at,
    revisions: 0,
    ...(why.kind === 'REPLACES' ? { replaces: why.assignment.assignmentId } : { extraPass: why.pass }),
  };
  const put = {
    Put: {
      TableName: tableName(),
      Item: {
        ...assignmentKey(assignmentId),
        gsi1pk: roundReviewsKey(pair.competitionId, pair.roundId),
        gsi1sk: `${pair.entryId}#${pair.expertEmail}`,
        ...item,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
  const expectOneMore = {
    Update: {
      TableName: tableName(),
      Key: roundKey(pair.competitionId, pair.roundId),
      UpdateExpression: 'ADD expectedReviews :one, #t :one REMOVE reviewsCompletedAt',
      ExpressionAttributeNames: { '#t': trackCounter('expected', pair.trackId) },
      ExpressionAttributeValues: { ':one': 1 },
    },
  };
  // The expert's home in the round (made if this is their first review of it) points to the new review.
  const home = [
    { Update: expertHomeUpsert(pair.competitionId, pair.roundId, pair.expertEmail, at) },
    { Put: expertHomePointer(item) },
  ];
  const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [put, ...home];
  if (why.kind === 'EXTRA') items.push(expectOneMore);
  else if (why.assignment.status === 'DECLINED') {
    // The declined review already left the expected count; its backup joins it.
    items.push(expectOneMore, {
      Update: {
        TableName: tableName(),
        Key: assignmentKey(why.assignment.assignmentId),
        UpdateExpression: 'SET replacedBy = :new',
        ConditionExpression: '#s = :declined AND attribute_not_exists(replacedBy)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':new': assignmentId, ':declined': 'DECLINED' },
      },
    });
  } else {
    // An overdue review: revoked (its link stops working), its backup takes its place in the count.
    items.push({
      Update: {
        TableName: tableName(),
        Key: assignmentKey(why.assignment.assignmentId),
        UpdateExpression: 'SET #s = :revoked, replacedBy = :new, linkVersion = linkVersion + :one, updatedAt = :at',
        ConditionExpression: '#s = :pending AND linkVersion = :v AND attribute_not_exists(replacedBy)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: {
          ':revoked': 'REVOKED',
          ':new': assignmentId,
          ':one': 1,
          ':at': at,
          ':pending': 'PENDING',
          ':v': why.assignment.linkVersion,
        },
      },
    });
  }
  try {
    // On the record in the same transaction: who was added to which entry, and whom they replace.
    await transactWithAudit(items, {
      competitionId: pair.competitionId,
      type: 'REVIEWER_ADDED',
      subject: assignmentId,
      by: 'review-workflow',
      at,
      data: {
        roundId: pair.roundId,
        entryId: pair.entryId,
        trackId: pair.trackId,
        expertEmail: pair.expertEmail,
        ...(why.kind === 'REPLACES'
          ? { replaces: why.assignment.assignmentId, revoked: why.assignment.status !== 'DECLINED' }
          : { extraPass: why.pass }),
      },
    });
    return item;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return undefined;
    throw e;
  }
};

/**
 * Records disagreement pass k with the entries it concerns, once: a replay (or
 * a later call for the same k) reads back what the first one stored.
 */
export const claimExtraPass = async (
  competitionId: string,
  roundId: string,
  k: number,
  entryIds: string[],
): Promise<{ k: number; entryIds: string[] }> => {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: roundKey(competitionId, roundId),
        UpdateExpression: 'SET extraPass = :p',
        ConditionExpression: k === 1 ? 'attribute_not_exists(extraPass)' : 'extraPass.k = :prev',
        ExpressionAttributeValues: { ':p': { k, entryIds }, ...(k === 1 ? {} : { ':prev': k - 1 }) },
      }),
    );
    return { k, entryIds };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    const stored = (await getReviewProgress(competitionId, roundId)).extraPass;
    if (!stored) throw e;
    return stored;
  }
};
