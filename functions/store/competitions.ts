import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Competition, CompetitionConfig } from '../../shared/competition.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { canonicalJson } from '../../shared/tokens.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { competitionKey, competitionListKey, stripKeys } from './keys.ts';
import { queryIndexPage } from './query.ts';

const toCompetition = (item: Record<string, unknown>) => stripKeys(item) as unknown as Competition;

export const getCompetition = async (competitionId: string): Promise<Competition | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: competitionKey(competitionId), ConsistentRead: true }),
  );
  return r.Item ? toCompetition(r.Item) : undefined;
};

/**
 * The hot submission path reads the competition from a per-container cache for a
 * few seconds: a configuration change (say, an extended deadline) takes effect
 * within CACHE_MS, and the deadline itself is always compared with server time.
 */
const CACHE_MS = 5000;
const cache = new Map<string, { at: number; value: Competition | undefined }>();
export const getCompetitionCached = async (competitionId: string): Promise<Competition | undefined> => {
  // Cache age is measured on the real clock, never the injectable one that tests move around.
  const nowMs = Date.now();
  const hit = cache.get(competitionId);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.value;
  const value = await getCompetition(competitionId);
  cache.set(competitionId, { at: nowMs, value });
  return value;
};

export const requireCompetition = async (competitionId: string): Promise<Competition> => {
  const c = await getCompetition(competitionId);
  if (!c) throw notFound('Competition');
  return c;
};

const configOf = (c: Competition): CompetitionConfig => {
  const { competitionId: _i, version: _v, createdAt: _c, updatedAt: _u, ...config } = c;
  return config;
};

/**
 * Creates a competition. A retry with an identical configuration returns the
 * stored one (idempotent); a different configuration under the same id is a 409.
 */
export const createCompetition = async (
  competitionId: string,
  config: CompetitionConfig,
  now: Date,
): Promise<{ competition: Competition; created: boolean }> => {
  const at = now.toISOString();
  const competition: Competition = { ...config, competitionId, version: 1, createdAt: at, updatedAt: at };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...competitionKey(competitionId),
          gsi1pk: competitionListKey(config.status),
          gsi1sk: `${at}#${competitionId}`,
          ...competition,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { competition, created: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    const existing = await requireCompetition(competitionId);
    if (canonicalJson(configOf(existing)) === canonicalJson(config)) return { competition: existing, created: false };
    throw conflict('COMPETITION_EXISTS', `A different competition with id "${competitionId}" already exists`);
  }
};

/** Replaces the configuration; the version condition turns a concurrent update into a 409, not a lost write. */
export const replaceCompetition = async (
  existing: Competition,
  config: CompetitionConfig,
  now: Date,
): Promise<Competition> => {
  const next: Competition = {
    ...config,
    competitionId: existing.competitionId,
    version: existing.version + 1,
    createdAt: existing.createdAt,
    updatedAt: now.toISOString(),
  };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...competitionKey(existing.competitionId),
          gsi1pk: competitionListKey(config.status),
          gsi1sk: `${existing.createdAt}#${existing.competitionId}`,
          ...next,
        },
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': existing.version },
      }),
    );
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException)
      throw conflict('VERSION_CONFLICT', 'The competition was changed concurrently; reload and retry');
    throw e;
  }
  return next;
};

export const listCompetitions = async (status: string, limit: number, cursor?: string) => {
  const page = await queryIndexPage(competitionListKey(status), limit, cursor, true);
  return { items: page.items.map(toCompetition), cursor: page.cursor };
};
