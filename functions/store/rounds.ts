import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { assignmentReportKey, roundKey, stripKeys } from './keys.ts';
import { queryAll } from './query.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import type { WaitSlot } from './task-tokens.ts';
import { transactWithAudit } from './audit.ts';
import type { AuditEvent } from '../../shared/audit.ts';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

export type RoundStatus = 'WAITING_FOR_DEADLINE' | 'SCREENING' | 'SCREENED' | 'REVIEWING' | 'TALLIED';
/** Intake rounds go through the first three, review rounds through the last two; never backwards. */
const ORDER: RoundStatus[] = ['WAITING_FOR_DEADLINE', 'SCREENING', 'SCREENED', 'REVIEWING', 'TALLIED'];

export interface RoundRun {
  competitionId: string;
  roundId: string;
  status: RoundStatus;
  executionName?: string;
  startedAt?: string;
  intakeClosedAt?: string;
  finishedAt?: string;
  updatedAt?: string;
  /** A review round's reviews are frozen from here on (set by its tally, before it reads them). */
  frozenAt?: string;
  /** The tally's inputs (rubric, rules, entries, reviews) and decisions, hashed: what a replay must reproduce. */
  inputsHash?: string;
  decisionsHash?: string;
  /** Outcome → track → count, assembled from the flat counter attributes. */
  counts: Record<string, Record<string, number>>;
  summary?: unknown;
}

const COUNT = /^count#([A-Z_]+)#(.+)$/;

export const getRoundRun = async (competitionId: string, roundId: string): Promise<RoundRun | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: roundKey(competitionId, roundId), ConsistentRead: true }),
  );
  if (!r.Item?.status) return undefined;
  const counts: RoundRun['counts'] = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stripKeys(r.Item))) {
    const m = COUNT.exec(k);
    if (!m) {
      rest[k] = v;
      continue;
    }
    counts[m[1]!] ??= {};
    counts[m[1]!]![m[2]!] = Number(v);
  }
  return { ...(rest as Omit<RoundRun, 'counts'>), counts };
};

/**
 * Moves a round forward; never backwards. Replays of a step (at-least-once
 * delivery) therefore leave the item as the first delivery left it.
 */
export const advanceRound = async (
  competitionId: string,
  roundId: string,
  status: RoundStatus,
  fields: Record<string, unknown>,
): Promise<void> => {
  const allowedFrom = ORDER.slice(0, ORDER.indexOf(status) + 1);
  const names: Record<string, string> = { '#s': 'status' };
  const values: Record<string, unknown> = { ':s': status };
  const sets = ['#s = :s', 'competitionId = :cid', 'roundId = :rid'];
  values[':cid'] = competitionId;
  values[':rid'] = roundId;
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    sets.push(`#f${i} = if_not_exists(#f${i}, :f${i})`);
  });
  allowedFrom.forEach((s, i) => {
    values[`:a${i}`] = s;
  });
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: roundKey(competitionId, roundId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `attribute_not_exists(#s) OR #s IN (${allowedFrom.map((_, i) => `:a${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    // Already further along: a replay of an earlier step. Nothing to do.
  }
};

/** Lists kept whole on the round item up to this length; the full report is in its own items. */
const SUMMARY_LIST = 20;
/** A report part's size: well under DynamoDB's 400 KB item limit. */
const REPORT_PART_CHARS = 300_000;
/** Report parts the assignment's transaction can carry (4 MB and 100 items per transaction). */
const MAX_REPORT_PARTS = 10;

/** The report with every long list cut to its first entries and counted. */
export const summarizeReport = (report: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(report).flatMap(([k, v]) =>
      Array.isArray(v) && v.length > SUMMARY_LIST
        ? [
            [k, v.slice(0, SUMMARY_LIST)],
            [`${k}Count`, v.length],
          ]
        : [[k, v]],
    ),
  );

/**
 * Records a review round's assignment — status REVIEWING, a bounded summary of
 * the report on the round item, the full report in parts of its own, and the
 * audit record (the hash of every entry–expert pair and of the report) — in one
 * transaction, once: a replayed step finds the round under way and writes nothing.
 */
export const recordAssignment = async (
  competitionId: string,
  roundId: string,
  fields: { startedAt: string; executionName: string; assigned: number },
  pairs: Array<{ entryId: string; expertEmail: string }>,
  report: Record<string, unknown>,
): Promise<boolean> => {
  const json = canonicalJson(report);
  const parts: string[] = [];
  for (let i = 0; i < json.length; i += REPORT_PART_CHARS) parts.push(json.slice(i, i + REPORT_PART_CHARS));
  if (parts.length > MAX_REPORT_PARTS) throw new Error(`assignment report of ${json.length} characters is too large`);
  const sorted = [...pairs]
    .map((p) => [p.entryId, p.expertEmail])
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
  try {
    await transactWithAudit(
      [
        {
          Update: {
            TableName: tableName(),
            Key: roundKey(competitionId, roundId),
            UpdateExpression:
              'SET #s = :reviewing, competitionId = :cid, roundId = :rid, startedAt = :at, executionName = :x, ' +
              'assigned = :n, assignment = :summary, assignmentReportParts = :parts',
            ConditionExpression: 'attribute_not_exists(#s) OR NOT (#s IN (:reviewing, :tallied))',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':reviewing': 'REVIEWING',
              ':tallied': 'TALLIED',
              ':cid': competitionId,
              ':rid': roundId,
              ':at': fields.startedAt,
              ':x': fields.executionName,
              ':n': fields.assigned,
              ':summary': summarizeReport(report),
              ':parts': parts.length,
            },
          },
        },
        ...parts.map((text, n) => ({
          Put: { TableName: tableName(), Item: { ...assignmentReportKey(competitionId, roundId, n), text } },
        })),
      ],
      {
        competitionId,
        type: 'REVIEWERS_ASSIGNED',
        subject: roundId,
        by: 'review-workflow',
        at: fields.startedAt,
        data: {
          roundId,
          mode: report.mode ?? null,
          assigned: fields.assigned,
          pairsHash: sha256(canonicalJson(sorted)),
          reportHash: sha256(json),
        },
      },
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false; // already under way: a replay
    throw e;
  }
};

/** The round's full assignment report, put together from its parts. */
export const getAssignmentReport = async (
  competitionId: string,
  roundId: string,
): Promise<Record<string, unknown> | undefined> => {
  const key = assignmentReportKey(competitionId, roundId, 0);
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': key.pk, ':s': key.sk.slice(0, -3) },
    ConsistentRead: true,
  });
  if (!items.length) return undefined;
  return JSON.parse(items.map((i) => String(i.text)).join('')) as Record<string, unknown>;
};

/**
 * Records a review round's tally — status TALLIED with its summary and the
 * hashes of its inputs and decisions — and its audit record, in one
 * transaction, once: a replayed tally finds the round tallied and appends
 * nothing.
 */
export const recordTally = async (
  competitionId: string,
  roundId: string,
  fields: { finishedAt: string; summary: unknown; inputsHash: string; decisionsHash: string },
  audit: AuditEvent,
): Promise<boolean> => {
  try {
    await transactWithAudit(
      [
        {
          Update: {
            TableName: tableName(),
            Key: roundKey(competitionId, roundId),
            UpdateExpression: 'SET #s = :tallied, finishedAt = :f, summary = :sum, inputsHash = :i, decisionsHash = :d',
            ConditionExpression: '#s = :reviewing',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':tallied': 'TALLIED',
              ':reviewing': 'REVIEWING',
              ':f': fields.finishedAt,
              ':sum': fields.summary,
              ':i': fields.inputsHash,
              ':d': fields.decisionsHash,
            },
          },
        },
      ],
      audit,
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false; // already tallied: a replay
    throw e;
  }
};

/**
 * Freezes a review round: every later review write (submit, edit, draft,
 * conflict declaration) fails its condition. A replay keeps the first time.
 */
export const freezeRound = async (competitionId: string, roundId: string, at: Date): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: roundKey(competitionId, roundId),
      UpdateExpression: 'SET frozenAt = if_not_exists(frozenAt, :at)',
      ExpressionAttributeValues: { ':at': at.toISOString() },
    }),
  );
};

/** The condition every review write puts on its round's item. */
export const ROUND_NOT_FROZEN = 'attribute_not_exists(frozenAt)';

/**
 * The review round's wait: resumed once every expected review is in. Adding a
 * backup or extra reviewer clears the completion, hence the condition.
 */
export const reviewWait = (competitionId: string, roundId: string): WaitSlot => ({
  key: roundKey(competitionId, roundId),
  tokenAttribute: 'reviewTaskToken',
  sentAttribute: 'callbackSentFor',
  versioned: false,
  ready: (item) => item.reviewsCompletedAt !== undefined,
  readyCondition: 'attribute_exists(reviewsCompletedAt)',
  output: () => ({ allReviewsIn: true }),
});
