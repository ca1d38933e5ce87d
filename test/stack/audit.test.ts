import {
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignmentIdOf, createAssignments, submitReview } from '../../functions/store/reviews.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { rawDynamo, startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/**
 * The hash-chained audit record on the local stack: written with every review in the same transaction,
 * verified by the admin route, and tampered with directly in DynamoDB Local.
 */
let s: TestStack;
let ddb: DynamoDBClient;
const CID = 'audit-chain';
const REVIEWS = 150;

const verify = async () => (await s.req('GET', `/admin/competitions/${CID}/audit`, { admin: true })).body;
const records = async () => {
  const out: Array<Record<string, any>> = [];
  for (let shard = 0; shard < 256; shard++) {
    const r = await ddb.send(
      new QueryCommand({
        TableName: s.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':p': { S: `AUDIT#${CID}#${shard}` }, ':r': { S: 'REC#' } },
      }),
    );
    out.push(...((r.Items ?? []) as typeof out));
  }
  return out;
};
// A chain with at least two records (150 records over 256 chains: some chain has two, with certainty for all practical purposes).
const longChain = async () => {
  const all = await records();
  const byShard = new Map<string, typeof all>();
  for (const r of all) byShard.set(r.pk!.S!, [...(byShard.get(r.pk!.S!) ?? []), r]);
  return [...byShard.values()].find((c) => c.length >= 2)!;
};

beforeAll(async () => {
  s = await startTestStack();
  ddb = rawDynamo(s);
  expect(
    (await s.req('POST', '/admin/competitions', { admin: true, body: { ...competitionFixture({ id: CID }) } })).status,
  ).toBe(201);
  const pairs = Array.from({ length: REVIEWS }, (_, k) => ({
    entryId: `E${k}`,
    trackId: 'ic',
    expertEmail: `x${k % 7}@example.com`,
  }));
  await createAssignments(CID, 'preliminary', pairs, new Date());
  // All at once: every review and its audit record succeed together, however the chains contend.
  const results = await Promise.all(
    pairs.map((p, k) =>
      submitReview(
        assignmentIdOf(CID, 'preliminary', p.entryId, p.expertEmail),
        1,
        { innovation: 50 + (k % 50) },
        undefined,
        new Date(),
      ),
    ),
  );
  expect(results.every((r) => r.counted)).toBe(true);
});
afterAll(async () => s?.stop());

describe('audit record', () => {
  it('holds one chained record per review, and verifies', async () => {
    const v = await verify();
    expect(v).toMatchObject({ ok: true, records: REVIEWS, byType: { REVIEW_SUBMITTED: REVIEWS } });
  });

  it('names a record changed in DynamoDB, then verifies again once it is restored', async () => {
    const chain = await longChain();
    const victim = chain[1]!;
    await ddb.send(
      new UpdateItemCommand({
        TableName: s.tableName,
        Key: { pk: victim.pk!, sk: victim.sk! },
        UpdateExpression: 'SET #by = :x',
        ExpressionAttributeNames: { '#by': 'by' },
        ExpressionAttributeValues: { ':x': { S: 'expert:someone-else@example.com' } },
      }),
    );
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.firstProblem).toMatchObject({
      shard: Number(victim.shard!.N),
      seq: Number(victim.seq!.N),
      problem: 'CHANGED',
    });
    await ddb.send(new PutItemCommand({ TableName: s.tableName, Item: victim as never }));
    expect((await verify()).ok).toBe(true);
  });

  it('names a record deleted from DynamoDB', async () => {
    const chain = await longChain();
    const victim = chain[1]!;
    await ddb.send(new DeleteItemCommand({ TableName: s.tableName, Key: { pk: victim.pk!, sk: victim.sk! } }));
    const v = await verify();
    expect(v.firstProblem).toMatchObject({
      shard: Number(victim.shard!.N),
      seq: Number(victim.seq!.N),
      problem: 'MISSING',
    });
    await ddb.send(new PutItemCommand({ TableName: s.tableName, Item: victim as never }));
    expect((await verify()).ok).toBe(true);
  });

  it('names records swapped in DynamoDB', async () => {
    const chain = await longChain();
    const [a, b] = [chain[0]!, chain[1]!];
    await ddb.send(new PutItemCommand({ TableName: s.tableName, Item: { ...b, sk: a.sk! } as never }));
    await ddb.send(new PutItemCommand({ TableName: s.tableName, Item: { ...a, sk: b.sk! } as never }));
    const v = await verify();
    expect(v.firstProblem).toMatchObject({ shard: Number(a.shard!.N), seq: 1, problem: 'REORDERED' });
  });
});
