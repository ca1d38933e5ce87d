import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { roundKey, stripKeys } from './keys.ts';
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
