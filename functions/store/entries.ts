import { GetCommand, QueryCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { Entry, EntryStatus, Screening } from '../../shared/entry.ts';
import type { AuditEvent } from '../../shared/audit.ts';
import type { NeedAnswer } from '../../shared/needs.ts';
import { solverOf } from '../../shared/need-statistics.ts';
import { conflict } from '../../shared/errors.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import { transactWithAudit } from './audit.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import {
  entryIndexKey,
  entryKey,
  needActivityListKey,
  needAnswerKey,
  guardKey,
  idempotencyKey,
  needKey,
  roundKey,
  stripKeys,
  SUBMISSION_SHARDS,
  submissionKey,
  submissionRegisterPk,
} from './keys.ts';
import { batchGetAll, countIndex, queryIndexAll, queryIndexPage } from './query.ts';
import { answerItem } from './matching.ts';

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface EntryRecord extends Entry {
  tokenHash: string;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

const entryItem = (e: EntryRecord) => ({
  ...entryKey(e.entryId),
  gsi1pk: entryIndexKey(e.competitionId, e.trackId, e.status),
  gsi1sk: e.entryId,
  ...e,
});

const toRecord = (item: Record<string, unknown>) => stripKeys(item) as unknown as EntryRecord;

/** Which transaction items failed their condition (by index). */
const failedConditions = (e: unknown): number[] | undefined => {
  if (!(e instanceof TransactionCanceledException)) return undefined;
  return (e.CancellationReasons ?? []).flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));
};

/** The next version of an entry, written only if nobody wrote another version since `expectedVersion`. */
const putAtVersion = (next: EntryRecord, expectedVersion: number): TxItem => ({
  Put: {
    TableName: tableName(),
    Item: entryItem(next),
    ConditionExpression: 'version = :v',
    ExpressionAttributeValues: { ':v': expectedVersion },
  },
});

const guardIncrement = (e: Entry, maxActive: number): TxItem => ({
  Update: {
    TableName: tableName(),
    Key: guardKey(e.competitionId, e.trackId, e.organizationKey),
    UpdateExpression: 'ADD activeCount :one',
    ConditionExpression: 'attribute_not_exists(activeCount) OR activeCount < :max',
    ExpressionAttributeValues: { ':one': 1, ':max': maxActive },
  },
});

const guardDecrement = (e: Entry): TxItem => ({
  Update: {
    TableName: tableName(),
    Key: guardKey(e.competitionId, e.trackId, e.organizationKey),
    UpdateExpression: 'ADD activeCount :minus',
    ConditionExpression: 'activeCount > :zero',
    ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
  },
});

/**
 * A submission is written only while the intake round is open: the close step
 * sets `intakeClosedAt` on the round item, and every write of submitted
 * content checks it in the same transaction — an entry either commits before
 * the close (and is screened) or is refused.
 */
const intakeStillOpen = (competitionId: string, intakeRoundId: string): TxItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: roundKey(competitionId, intakeRoundId),
    ConditionExpression: 'attribute_not_exists(intakeClosedAt)',
  },
});

/** The register holds an entry exactly while it is SUBMITTED; every status change moves it in the same transaction. */
const registerSubmission = (e: Entry): TxItem => ({
  Put: {
    TableName: tableName(),
    Item: { ...submissionKey(e.competitionId, e.trackId, e.entryId), entryId: e.entryId },
  },
});
const unregisterSubmission = (e: Entry): TxItem => ({
  Delete: { TableName: tableName(), Key: submissionKey(e.competitionId, e.trackId, e.entryId) },
});

/** The register items a change from `previous` to `next` needs. */
const registerChanges = (previous: Entry | undefined, next: Entry): TxItem[] => {
  const was = previous?.status === 'SUBMITTED';
  const is = next.status === 'SUBMITTED';
  const moved = previous !== undefined && previous.trackId !== next.trackId;
  return [
    ...(was && (!is || moved) ? [unregisterSubmission(previous!)] : []),
    ...(is && (!was || moved) ? [registerSubmission(next)] : []),
  ];
};

/** The need is still published and its answer deadline has not passed (checked in the entry's transaction). */
const needStillOpen = (needId: string, at: string): TxItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: needKey(needId),
    ConditionExpression: '#status = :published AND answerDeadline > :at',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':published': 'PUBLISHED', ':at': at },
  },
});

const intakeClosed = () => conflict('INTAKE_CLOSED', 'The intake round has closed: the submission deadline has passed');

const limitReached = (max: number) =>
  conflict(
    'ENTRY_LIMIT_REACHED',
    `This organization already has ${max} active entr${max === 1 ? 'y' : 'ies'} in this track`,
    { maxActiveEntriesPerOrganizationPerTrack: max },
  );

/**
 * What of an entry's life goes on the audit record: its submission (with a
 * hash of the content submitted), changes to submitted content, withdrawal.
 * Drafts decide nothing and are not recorded.
 */
const entryEvent = (previous: EntryRecord | undefined, next: EntryRecord, by: string): AuditEvent | undefined => {
  const type =
    next.status === 'WITHDRAWN' && previous?.status !== 'WITHDRAWN'
      ? 'ENTRY_WITHDRAWN'
      : next.status === 'SUBMITTED' && previous?.status !== 'SUBMITTED'
        ? 'ENTRY_SUBMITTED'
        : next.status === 'SUBMITTED' && previous && previous.version !== next.version
          ? 'ENTRY_UPDATED'
          : undefined;
  if (!type) return undefined;
  const { title, summary, solution, applicant, documents, keywords } = next;
  return {
    competitionId: next.competitionId,
    type,
    subject: next.entryId,
    by,
    at: next.updatedAt,
    data: {
      trackId: next.trackId,
      submittedAt: next.submittedAt ?? null,
      ...(type === 'ENTRY_WITHDRAWN' && next.withdrawal ? { withdrawal: next.withdrawal } : {}),
      contentHash: sha256(canonicalJson({ title, summary, solution, applicant, documents, keywords })),
    },
  };
};

/** A transaction, with the audit record of what it decides when there is one. */
const transact = async (items: TxItem[], event: AuditEvent | undefined) => {
  if (event) await transactWithAudit(items, event);
  else await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
};

export interface IdempotentResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

export const getIdempotencyRecord = async (scope: string, key: string): Promise<IdempotentResponse | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKey(scope, key), ConsistentRead: true }),
  );
  return r.Item as IdempotentResponse | undefined;
};

export class IdempotencyRace extends Error {}

/**
 * Creates the entry, takes the organization's slot in the track and records the
 * idempotent response in one transaction: either all three happen or none.
 */
export const createEntry = async (
  entry: EntryRecord,
  maxActive: number,
  idempotency?: { scope: string; key: string; response: IdempotentResponse; now: Date },
  intakeRoundId?: string,
  /** 揭榜: the answer recorded beside the need, which must still be published and open at commit. */
  answer?: NeedAnswer,
  /** The applicant's e-mail about it (a submitted entry): its outbox put, in the same transaction. */
  notice?: TxItem,
): Promise<void> => {
  const items: TxItem[] = [
    { Put: { TableName: tableName(), Item: entryItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } },
    guardIncrement(entry, maxActive),
  ];
  if (idempotency) {
    items.push({
      Put: {
        TableName: tableName(),
        Item: {
          ...idempotencyKey(idempotency.scope, idempotency.key),
          ...idempotency.response,
          ttl: Math.floor(idempotency.now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  const closeCheck =
    intakeRoundId && entry.status === 'SUBMITTED'
      ? items.push(intakeStillOpen(entry.competitionId, intakeRoundId)) - 1
      : -1;
  const needCheck = answer ? items.push(needStillOpen(answer.needId, entry.createdAt)) - 1 : -1;
  if (answer)
    items.push({
      Put: {
        TableName: tableName(),
        Item: answerItem(answer),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  items.push(...registerChanges(undefined, entry));
  if (notice) items.push(notice);
  try {
    await transact(items, entryEvent(undefined, entry, 'applicant'));
  } catch (e) {
    const failed = failedConditions(e);
    if (failed?.includes(closeCheck)) throw intakeClosed();
    if (failed?.includes(needCheck)) throw conflict('NEED_CLOSED', 'This need no longer takes answers');
    if (idempotency && failed?.includes(2)) throw new IdempotencyRace('idempotency key used concurrently');
    if (failed?.includes(1)) throw limitReached(maxActive);
    throw e;
  }
};

export const getEntryRecord = async (entryId: string): Promise<EntryRecord | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: entryKey(entryId), ConsistentRead: true }),
  );
  return r.Item ? toRecord(r.Item) : undefined;
};

/**
 * Writes a new version of an entry. The version condition turns concurrent edits
 * into a 409 instead of a lost update; a changed organization moves its slot.
 */
export const saveEntry = async (
  previous: EntryRecord,
  next: EntryRecord,
  maxActive: number,
  by = 'applicant',
  intakeRoundId?: string,
  /** The applicant's e-mail about the change (its submission): its outbox put, in the same transaction. */
  notice?: TxItem,
): Promise<void> => {
  const items: TxItem[] = [putAtVersion(next, previous.version)];
  const wasActive = previous.status !== 'WITHDRAWN';
  const isActive = next.status !== 'WITHDRAWN';
  const movedSlot = previous.organizationKey !== next.organizationKey;
  if (wasActive && (!isActive || movedSlot)) items.push(guardDecrement(previous));
  if (isActive && (!wasActive || movedSlot)) items.push(guardIncrement(next, maxActive));
  const closeCheck =
    intakeRoundId && next.status === 'SUBMITTED'
      ? items.push(intakeStillOpen(next.competitionId, intakeRoundId)) - 1
      : -1;
  items.push(...registerChanges(previous, next));
  // An answer to a need keeps what statistics count of its entry (submitted? which organization, where).
  const solver = solverOf(next);
  if (next.needId && canonicalJson(solverOf(previous)) !== canonicalJson(solver))
    items.push({
      Update: {
        TableName: tableName(),
        Key: needAnswerKey(next.needId, next.entryId),
        // The answer's listing too (answers written before it had one join the statistics).
        UpdateExpression: 'SET solver = :s, gsi1pk = :gp, gsi1sk = :gs, version = version + :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: {
          ':s': solver,
          ':gp': needActivityListKey('ANSWERS', next.competitionId),
          ':gs': `${next.needId}#${next.entryId}`,
          ':one': 1,
        },
      },
    });
  if (notice) items.push(notice);
  try {
    await transact(items, entryEvent(previous, next, by));
  } catch (e) {
    const failed = failedConditions(e);
    if (failed?.includes(closeCheck)) throw intakeClosed();
    if (failed?.includes(0)) throw conflict('VERSION_CONFLICT', 'The entry was changed concurrently; reload and retry');
    if (failed?.length) throw limitReached(maxActive);
    // Lost a race with another writer of one of the items (e.g. the sponsor deciding on the answer).
    if (e instanceof TransactionCanceledException)
      throw conflict('CONCURRENT_UPDATE', 'The entry was changed concurrently; try again');
    throw e;
  }
};

export const listEntries = async (
  competitionId: string,
  trackId: string,
  status: EntryStatus,
  limit: number,
  cursor?: string,
) => {
  const page = await queryIndexPage(entryIndexKey(competitionId, trackId, status), limit, cursor);
  return { items: page.items.map(toRecord), cursor: page.cursor };
};

/** Every entry of a track in one status (all pages). */
export const listAllEntries = async (
  competitionId: string,
  trackId: string,
  status: EntryStatus,
): Promise<EntryRecord[]> => (await queryIndexAll(entryIndexKey(competitionId, trackId, status))).map(toRecord);

/**
 * The SUBMITTED entries of a track still to be screened, read strongly
 * consistently from the submission register (never the eventually consistent
 * index): an entry committed a millisecond before the close is among them.
 */
export const listSubmittedForScreening = async (
  competitionId: string,
  trackId: string,
  limit: number,
): Promise<EntryRecord[]> => {
  const ids: string[] = [];
  for (let shard = 0; shard < SUBMISSION_SHARDS && ids.length < limit; shard++) {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': submissionRegisterPk(competitionId, trackId, shard) },
        ConsistentRead: true,
        Limit: limit - ids.length,
      }),
    );
    ids.push(...(r.Items ?? []).map((i) => String(i.entryId)));
  }
  return getEntryRecords(ids);
};

/** Entries by id, strongly consistent, in the order asked (BatchGet takes 100 keys; unprocessed keys are retried). */
export const getEntryRecords = async (ids: string[]): Promise<EntryRecord[]> => {
  const items = await batchGetAll(ids.map(entryKey), { consistent: true });
  const found = new Map(items.map((item) => [String(item.entryId), toRecord(item)]));
  return ids.flatMap((id) => found.get(id) ?? []);
};

/**
 * Entries per screening transaction: each entry's write and its register delete,
 * the round counter and the audit record's two items make 99 of DynamoDB's 100.
 */
export const SCREENING_BATCH = 48;

/** Round counter attribute for one outcome in one track. */
export const countAttribute = (outcome: string, trackId: string) => `count#${outcome}#${trackId}`;

export interface ScreeningDecision {
  entry: EntryRecord;
  screening: Screening;
}

/**
 * Records screening results for a batch and adds them to the round's counters in
 * ONE transaction, each entry conditioned on still being SUBMITTED at its version:
 * a retried batch cannot count an entry twice. Entries whose condition fails
 * (withdrawn meanwhile, or already screened by an earlier attempt) are dropped and
 * the rest retried. Returns the entries actually recorded.
 */
export const recordScreening = async (
  competitionId: string,
  roundId: string,
  decisions: ScreeningDecision[],
  now: Date,
): Promise<ScreeningDecision[]> => {
  let pending = decisions;
  while (pending.length) {
    if (pending.length > SCREENING_BATCH) throw new Error(`a screening batch holds at most ${SCREENING_BATCH} entries`);
    const counts = new Map<string, number>();
    for (const d of pending) {
      const a = countAttribute(d.screening.outcome, d.entry.trackId);
      counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':now': now.toISOString() };
    const adds = [...counts].map(([attr, n], i) => {
      names[`#c${i}`] = attr;
      values[`:c${i}`] = n;
      return `#c${i} :c${i}`;
    });
    const items: TxItem[] = pending.map((d) => ({
      Put: {
        TableName: tableName(),
        Item: entryItem({
          ...d.entry,
          status: d.screening.outcome,
          screening: d.screening,
          version: d.entry.version + 1,
          updatedAt: now.toISOString(),
        }),
        ConditionExpression: '#s = :submitted AND version = :v',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':submitted': 'SUBMITTED', ':v': d.entry.version },
      },
    }));
    items.push(...pending.map((d) => unregisterSubmission(d.entry)));
    items.push({
      Update: {
        TableName: tableName(),
        Key: roundKey(competitionId, roundId),
        UpdateExpression: `SET updatedAt = :now ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    });
    try {
      await transactWithAudit(items, {
        competitionId,
        type: 'ENTRIES_SCREENED',
        subject: roundId,
        by: 'intake-workflow',
        at: now.toISOString(),
        data: { roundId, results: pending.map((d) => ({ entryId: d.entry.entryId, outcome: d.screening.outcome })) },
      });
      return pending;
    } catch (e) {
      const failed = failedConditions(e);
      if (!failed || failed.length === 0) throw e;
      const drop = new Set(failed);
      pending = pending.filter((_, i) => !drop.has(i));
    }
  }
  return [];
};

/** An organizer's override moves the entry and the round counters together. */
export const recordOverride = async (
  previous: EntryRecord,
  next: EntryRecord,
  /** Writes that go with the override (the applicant's notice), in its transaction. */
  also: TxItem[] = [],
): Promise<void> => {
  const roundId = previous.screening!.roundId;
  const from = countAttribute(previous.status, previous.trackId);
  const to = countAttribute(next.status, next.trackId);
  const items: TxItem[] = [putAtVersion(next, previous.version), ...also];
  if (from !== to) {
    items.push({
      Update: {
        TableName: tableName(),
        Key: roundKey(previous.competitionId, roundId),
        UpdateExpression: 'ADD #from :minus, #to :one',
        ExpressionAttributeNames: { '#from': from, '#to': to },
        ExpressionAttributeValues: { ':minus': -1, ':one': 1 },
      },
    });
  }
  const override = next.screening?.override;
  try {
    await transactWithAudit(items, {
      competitionId: next.competitionId,
      type: 'SCREENING_OVERRIDDEN',
      subject: next.entryId,
      by: override?.by ?? 'organizer',
      at: next.updatedAt,
      data: { roundId, from: previous.status, to: next.status, reason: override?.reason ?? null },
    });
  } catch (e) {
    if (failedConditions(e)?.includes(0))
      throw conflict('VERSION_CONFLICT', 'The entry was changed concurrently; reload and retry');
    throw e;
  }
};

/** How many of a track's entries are in one status (GSI1, counted without reading them out). */
export const countEntries = (competitionId: string, trackId: string, status: string) =>
  countIndex(entryIndexKey(competitionId, trackId, status));
