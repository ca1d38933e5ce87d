import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { rawDynamo, startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/**
 * Runs the synthesized intake state machine end to end on the local stack:
 * started through the admin route, it waits for a real deadline a few seconds
 * away, closes intake, screens every entry in batches and records the counts.
 */
let s: TestStack;
const CID = 'flow-test';
const ELIGIBLE_IC = 120; // more than two 48-entry batches
let deadline: number;
let sfnClient: SFNClient;

const org = (name: string, extra: Record<string, unknown> = {}) => ({
  ...demoEntry().applicant,
  organizationName: name,
  ...extra,
});
const ids: Record<string, { entryId: string; token: string }> = {};

beforeAll(async () => {
  s = await startTestStack();
  sfnClient = new SFNClient({
    endpoint: s.sfnEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  deadline = Date.now() + 25_000; // room for 125 creations (and an index edit) while other suites load the machine
  expect(
    (await s.req('POST', '/admin/competitions', { admin: true, body: competitionFixture({ id: CID, deadline }) }))
      .status,
  ).toBe(201);
  const create = async (key: string, body: unknown) => {
    const r = await s.req('POST', `/competitions/${CID}/entries`, { body });
    expect(r.status).toBe(201);
    ids[key] = { entryId: r.body.entry.entryId, token: r.body.accessToken };
  };
  // Eligible entries in the IC track, in parallel waves.
  for (let wave = 0; wave < ELIGIBLE_IC; wave += 20) {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        create(`ic-${wave + i}`, demoEntry({ applicant: org(`集成电路公司 ${wave + i}`) })),
      ),
    );
  }
  await create('beijing', demoEntry({ trackId: 'ai', applicant: org('北京某公司', { region: 'CN-BJ' }) }));
  await create('no-plan', demoEntry({ trackId: 'ai', applicant: org('缺材料公司'), documents: [] }));
  await create('singapore', demoEntry({ trackId: 'ai', applicant: org('Singapore Labs Pte Ltd', { region: 'SG' }) }));
  await create('draft', demoEntry({ trackId: 'ai', applicant: org('草稿公司'), submit: false }));
  await create('withdrawn', demoEntry({ trackId: 'ai', applicant: org('撤回公司') }));
  await s.req('POST', `/entries/${ids.withdrawn!.entryId}/withdraw`, { token: ids.withdrawn!.token });
  // An entry committed just before the close that the eventually consistent index has not
  // caught up with yet: present in the table, absent from GSI1. Screening must still see it.
  const ddb = rawDynamo(s);
  await ddb.send(
    new UpdateItemCommand({
      TableName: s.tableName,
      Key: { pk: { S: `ENTRY#${ids['ic-7']!.entryId}` }, sk: { S: 'ENTRY' } },
      UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
    }),
  );
}, 120_000);

afterAll(async () => s?.stop());

describe('intake round workflow', () => {
  let executionArn: string;

  it('starts from the admin route; a retried start answers the same, with the same execution', async () => {
    const first = await s.req('POST', `/admin/competitions/${CID}/rounds/intake/start`, { admin: true });
    expect(first.status).toBe(202);
    expect(first.body.executionName).toBe(`${CID}_intake`);
    executionArn = first.body.executionArn;
    const second = await s.req('POST', `/admin/competitions/${CID}/rounds/intake/start`, { admin: true });
    expect(second.status).toBe(202);
    expect(second.body.executionArn).toBe(executionArn);
    expect(s.sfn.listExecutions(s.intakeStateMachineArn)).toHaveLength(1);
    // The execution runs asynchronously; its first step records the round as waiting.
    await expect
      .poll(
        async () => (await s.req('GET', `/admin/competitions/${CID}/rounds/intake`, { admin: true })).body.run.status,
        { timeout: 5000 },
      )
      .toBe('WAITING_FOR_DEADLINE');
  });

  it('refuses to start an unknown round', async () => {
    expect((await s.req('POST', `/admin/competitions/${CID}/rounds/nope/start`, { admin: true })).status).toBe(404);
  });

  it('waits for the deadline, then screens every submitted entry and records exact counts', async () => {
    const done = await s.sfn.waitFor(executionArn, 90_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(Date.now()).toBeGreaterThan(deadline);
    const output = JSON.parse(done.output!);
    expect(output.totals).toEqual({ screened: ELIGIBLE_IC + 3, eligible: ELIGIBLE_IC + 2, ineligible: 1 });
    expect(output.byTrack.ic).toEqual({ screened: ELIGIBLE_IC, eligible: ELIGIBLE_IC, ineligible: 0 });
    expect(output.byTrack.ai).toEqual({ screened: 3, eligible: 2, ineligible: 1 });

    const run = (await s.req('GET', `/admin/competitions/${CID}/rounds/intake`, { admin: true })).body.run;
    expect(run.status).toBe('SCREENED');
    expect(run.summary).toEqual(output);
  });

  it('stores each entry’s result with its reasons; drafts and withdrawals are left alone', async () => {
    const get = async (k: string) =>
      (await s.req('GET', `/entries/${ids[k]!.entryId}`, { token: ids[k]!.token })).body.entry;
    const bj = await get('beijing');
    expect(bj.status).toBe('INELIGIBLE');
    expect(bj.screening.failures.map((f: { rule: string }) => f.rule)).toEqual(['region']);
    // This competition requires no document (required documents are uploads: test/stack/documents.test.ts).
    expect((await get('no-plan')).status).toBe('ELIGIBLE');
    expect((await get('singapore')).status).toBe('ELIGIBLE');
    expect((await get('draft')).status).toBe('DRAFT');
    expect((await get('withdrawn')).status).toBe('WITHDRAWN');
    // Read strongly consistently from the submission register, not from the lagging index.
    expect((await get('ic-7')).status).toBe('ELIGIBLE');
  });

  it('keeps the execution history small: it grows with batches, not entries', async () => {
    const history = await sfnClient.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const entered = history
      .events!.filter((e) => e.type!.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails!.name);
    expect(entered.filter((n) => n === 'ScreenBatch').length).toBeLessThanOrEqual(3);
    expect(history.events!.length).toBeLessThan(40);
    const d = await sfnClient.send(new DescribeExecutionCommand({ executionArn }));
    expect(d.status).toBe('SUCCEEDED');
  });

  it('an organizer override moves the entry and the counts, with who and why', async () => {
    const path = `/admin/entries/${ids.beijing!.entryId}/screening-override`;
    const body = { outcome: 'ELIGIBLE', reason: '申报单位已在上海设立子公司，经专题会同意纳入' };
    const r = await s.req('POST', path, { admin: true, body });
    expect(r.status).toBe(200);
    expect(r.body.entry.status).toBe('ELIGIBLE');
    expect(r.body.entry.screening.override).toMatchObject({
      outcome: 'ELIGIBLE',
      reason: body.reason,
      by: 'arn:aws:iam::000000000000:user/local-admin',
      previousOutcome: 'INELIGIBLE',
    });
    const replay = await s.req('POST', path, { admin: true, body });
    expect(replay.body.entry.version).toBe(r.body.entry.version);
    // The applicant is told once, with the organizer's reason (the retry above queued nothing more).
    const told = async () =>
      (await s.all(`/admin/competitions/${CID}/rounds/intake/outbox`, { admin: true })).filter(
        (m: { kind: string }) => m.kind === 'SCREENING_OVERRIDDEN',
      );
    await expect.poll(async () => (await told())[0]?.deliveredAt, { timeout: 15_000 }).toBeTruthy();
    expect(await told()).toHaveLength(1);
    const mail = s.mail.list().find((m) => m.subject.includes('形式审查结果已更正'))!;
    expect(mail.text).toContain(body.reason);
    expect(mail.text).toContain(ids.beijing!.entryId);
    const counts = (await s.req('GET', `/admin/competitions/${CID}/rounds/intake`, { admin: true })).body.run.counts;
    expect(counts).toEqual({ ELIGIBLE: { ic: ELIGIBLE_IC, ai: 3 }, INELIGIBLE: { ai: 0 } });
    expect((await s.req('POST', path, { admin: true, body: { outcome: 'ELIGIBLE' } })).status).toBe(422);
    expect(
      (await s.req('POST', `/admin/entries/${ids.draft!.entryId}/screening-override`, { admin: true, body })).body.error
        .code,
    ).toBe('NOT_SCREENED');
  });

  it('previews the preliminary round’s reviewer assignment from eligible entries and the expert pool, avoiding conflicts', async () => {
    // Nine experts; one works at an applicant's organization, one is an applicant's lead.
    const experts = Array.from({ length: 8 }, (_, k) => ({
      email: `expert${k}@example.com`,
      name: `专家${k}`,
      institution: `研究院${k}`,
      fields: k < 6 ? ['IC'] : ['AI'],
      languages: ['zh'],
      maxLoadPerRound: 200,
    }));
    experts.push({
      email: 'insider@example.com',
      name: '内部专家',
      institution: '集成电路公司 0',
      fields: ['IC'],
      languages: ['zh'],
      maxLoadPerRound: 200,
    });
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);
    const r = await s.req('GET', `/admin/competitions/${CID}/rounds/preliminary/assignment-preview`, { admin: true });
    expect(r.status).toBe(200);
    expect(r.body.entries).toBe(ELIGIBLE_IC + 3); // the Beijing entry was overridden to ELIGIBLE above
    expect(r.body.report.certificate.optimal).toBe(true);
    expect(r.body.report.shortfalls).toEqual([]);
    const ic0 = r.body.assignments.find((a: { entry: string }) => a.entry === ids['ic-0']!.entryId);
    expect(ic0.reviewers).toHaveLength(5); // preliminary round: 5 reviewers per entry
    expect(ic0.reviewers.map((x: { reviewer: string }) => x.reviewer)).not.toContain('insider@example.com');
    expect(r.body.report.conflictsAvoided.byReason.SAME_INSTITUTION).toBeGreaterThanOrEqual(1);
    expect(
      (await s.req('GET', `/admin/competitions/${CID}/rounds/intake/assignment-preview`, { admin: true })).body.error
        .code,
    ).toBe('ROUND_KIND_NOT_SUPPORTED');
  });

  it('a start after the round finished reports the finished execution, not a new one', async () => {
    const again = await s.req('POST', `/admin/competitions/${CID}/rounds/intake/start`, { admin: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ executionArn, status: 'SUCCEEDED' });
  });
});
