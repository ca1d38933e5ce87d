import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Decision } from '../../shared/review/scoring.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { advancedIndexKey, decisionKey, stripKeys } from './keys.ts';
import { queryAll, queryIndexAll, queryPage } from './query.ts';
import { forEachConcurrently } from '../runtime/concurrency.ts';

/** A review round's decisions (one item per entry) and the index of the entries it advanced. */
export type DecisionWithCriteria = Decision & { criteria: Record<string, number> };
export type StoredDecision = Decision & { decidedAt: string; criteria?: Record<string, number> };

const PARALLEL_WRITES = 16;

export const putDecisions = async (
  competitionId: string,
  roundId: string,
  decisions: DecisionWithCriteria[],
  now: Date,
) => {
  const decidedAt = now.toISOString();
  await forEachConcurrently(decisions, PARALLEL_WRITES, async (d) => {
    const advancedIndex = d.advanced ? { gsi1pk: advancedIndexKey(competitionId, roundId), gsi1sk: d.entryId } : {};
    const Item = {
      ...decisionKey(competitionId, roundId, d.entryId),
      ...advancedIndex,
      competitionId,
      roundId,
      ...d,
      decidedAt,
    };
    await documentClient().send(new PutCommand({ TableName: tableName(), Item }));
  });
};

export const listDecisions = async (competitionId: string, roundId: string): Promise<StoredDecision[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
    ExpressionAttributeValues: { ':p': decisionKey(competitionId, roundId, '').pk, ':s': `DECISION#${roundId}#` },
  });
  return items.map((i) => stripKeys(i) as unknown as StoredDecision).sort((a, b) => a.overallRank - b.overallRank);
};

/** One page of a round's decisions, in entry-id order (each carries its overall and track rank). */
export const listDecisionsPage = async (competitionId: string, roundId: string, limit: number, cursor?: string) => {
  const list = { partition: decisionKey(competitionId, roundId, '').pk, sortPrefix: `DECISION#${roundId}#` };
  const page = await queryPage(list, limit, cursor);
  return { items: page.items.map((i) => stripKeys(i) as unknown as StoredDecision), cursor: page.cursor };
};

/** Entries that advanced from a round: the next round reviews these. */
export const listAdvanced = async (competitionId: string, roundId: string): Promise<string[]> =>
  (await queryIndexAll(advancedIndexKey(competitionId, roundId))).map((i) => String(i.entryId));
