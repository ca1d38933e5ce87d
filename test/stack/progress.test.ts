import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntry } from '../../infra/local/demo.ts';
import type { MetricSeries } from '../../infra/local/metrics.ts';
import { competitionFixture, expertPool } from '../fixtures/competition.ts';
import { deliveredOutbox } from '../fixtures/mail.ts';
import { ADMIN_KEY, startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { adminClient } from '../../infra/local/admin-client.ts';
import { watch } from '../../infra/local/watch.ts';
import { PassThrough } from 'node:stream';

/**
 * The organizer's live view: a small competition run through intake and half of a review round, then
 * `GET /admin/competitions/{id}/progress` checked against what the test did and against the detail
 * routes, and the metrics the functions published (the local stack's EMF emulation) against the same.
 */
let s: TestStack;
const ID = 'watch-2026';
const created = { ic: 0, ai: 0 };
const submitted = { ic: 0, ai: 0 };
let withdrawnTrack = '';
let reviewLinks: string[] = [];

const submit = async (path: string) => {
  const r = await fetch(`${s.apiUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      action: 'submit',
      'score.innovation': '80',
      'score.feasibility': '80',
      'score.market': '80',
      'score.team': '80',
    }).toString(),
  });
  expect(r.status).toBe(303);
};

const progress = async () => {
  const r = await s.req('GET', `/admin/competitions/${ID}/progress`, { admin: true });
  expect(r.status).toBe(200);
  return r.body.progress;
};

const metrics = async (): Promise<MetricSeries[]> =>
  ((await (await fetch(`${s.sfnEndpoint}/metrics?format=json`)).json()) as { metrics: MetricSeries[] }).metrics.filter(
    (m) => m.dimensions.competitionId === ID,
  );
const sumOf = (series: MetricSeries[], name: string, dims: Record<string, string> = {}) =>
  series
    .filter((m) => m.name === name && Object.entries(dims).every(([k, v]) => m.dimensions[k] === v))
    .reduce((t, m) => t + m.sum, 0);

beforeAll(async () => {
  s = await startTestStack();
  const experts = expertPool('watcher', 4);
  expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);

  const intakeMs = 12_000;
  const now = Date.now();
  const base = competitionFixture({ id: ID, deadline: now + intakeMs });
  const iso = (t: number) => new Date(t).toISOString();
  const rounds = [
    base.rounds[0],
    {
      ...(base.rounds[1] as object),
      reviewOpensAt: iso(now + intakeMs + 1),
      reviewClosesAt: iso(now + intakeMs + 10 * 60_000),
      reviewersPerEntry: 2,
      aggregation: { kind: 'mean' },
      advancement: { topKPerTrack: 2 },
    },
    {
      ...(base.rounds[2] as object),
      reviewOpensAt: iso(now + intakeMs + 11 * 60_000),
      reviewClosesAt: iso(now + intakeMs + 12 * 60_000),
    },
  ];
  expect((await s.req('POST', '/admin/competitions', { admin: true, body: { ...base, rounds } })).status).toBe(201);
  // ic: 3 submitted, 1 draft; ai: 2 submitted, one of them withdrawn afterwards.
  const plan = [
    ['ic', true],
    ['ic', true],
    ['ic', true],
    ['ic', false],
    ['ai', true],
    ['ai', true],
  ] as const;
  const tokens: Array<{ entryId: string; token: string; track: string }> = [];
  for (const [k, [track, submit]] of plan.entries()) {
    const body = demoEntry({
      trackId: track,
      solution: '方案',
      submit,
      applicant: { ...demoEntry().applicant, organizationName: `单位${k}` },
    });
    const r = await s.req('POST', `/competitions/${ID}/entries`, { body });
    expect(r.status).toBe(201);
    created[track] += 1;
    if (submit) submitted[track] += 1;
    tokens.push({ entryId: r.body.entry.entryId, token: r.body.accessToken, track });
  }
  const leaving = tokens.at(-1)!;
  withdrawnTrack = leaving.track;
  const w = await s.req('POST', `/entries/${leaving.entryId}/withdraw`, { token: leaving.token });
  expect(w.status).toBe(200);

  await new Promise((r) => setTimeout(r, Math.max(0, now + intakeMs - Date.now() + 200)));
  const intake = await s.req('POST', `/admin/competitions/${ID}/rounds/intake/start`, { admin: true });
  expect((await s.sfn.waitFor(intake.body.executionArn, 60_000)).status).toBe('SUCCEEDED');
  const start = await s.req('POST', `/admin/competitions/${ID}/rounds/preliminary/start`, { admin: true });
  expect(start.status).toBe(202);
  // The outbox is complete once the assignment step has finished (the round is then REVIEWING).
  for (const until = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 100))) {
    const round = await s.req('GET', `/admin/competitions/${ID}/rounds/preliminary`, { admin: true });
    if (round.body.run.status === 'REVIEWING') break;
    if (Date.now() > until) throw new Error(`the round did not reach REVIEWING: ${round.body.run.status}`);
  }
  const messages = await deliveredOutbox(s, ID, 'preliminary');
  reviewLinks = messages.flatMap((m) => m.links.map((l) => l.path!));
  // Half the reviews come in; the round stays open.
  for (const path of reviewLinks.slice(0, reviewLinks.length / 2)) await submit(path);
}, 180_000);
afterAll(async () => s?.stop());

describe('GET /admin/competitions/{id}/progress', () => {
  it('counts intake by track and status as the entries stand', async () => {
    const p = await progress();
    const byTrack = Object.fromEntries(p.intake.tracks.map((t: { trackId: string }) => [t.trackId, t]));
    // Every submitted entry was screened eligible (no documents required); one was withdrawn before the close.
    const eligible = {
      ic: submitted.ic - (withdrawnTrack === 'ic' ? 1 : 0),
      ai: submitted.ai - (withdrawnTrack === 'ai' ? 1 : 0),
    };
    expect(byTrack.ic.entries).toEqual({ DRAFT: 1, SUBMITTED: 0, ELIGIBLE: eligible.ic, INELIGIBLE: 0, WITHDRAWN: 0 });
    expect(byTrack.ai.entries).toEqual({ DRAFT: 0, SUBMITTED: 0, ELIGIBLE: eligible.ai, INELIGIBLE: 0, WITHDRAWN: 1 });
    expect(p.intake.total).toBe(created.ic + created.ai);
    // The detail route agrees, track by track.
    for (const track of ['ic', 'ai']) {
      const listed = await s.all(`/admin/competitions/${ID}/entries?trackId=${track}&status=ELIGIBLE`, { admin: true });
      expect(listed).toHaveLength(byTrack[track].entries.ELIGIBLE);
    }
    const intake = p.rounds.find((r: { roundId: string }) => r.roundId === 'intake');
    expect(intake).toMatchObject({ status: 'SCREENED', execution: { machine: 'intake', status: 'SUCCEEDED' } });
    expect(intake.screening.ELIGIBLE).toEqual({ ic: eligible.ic, ai: eligible.ai });
  });

  it("shows the review round's expected and received reviews by track, and its execution waiting", async () => {
    const p = await progress();
    const round = p.rounds.find((r: { roundId: string }) => r.roundId === 'preliminary');
    const detail = (await s.req('GET', `/admin/competitions/${ID}/rounds/preliminary`, { admin: true })).body;
    expect(round.status).toBe('REVIEWING');
    expect(round.execution).toEqual({ machine: 'review', name: `${ID}_preliminary`, status: 'RUNNING' });
    expect(round.reviews).toEqual({
      expected: reviewLinks.length,
      received: reviewLinks.length / 2,
      perTrack: detail.progress.perTrack,
    });
    expect(
      Object.values(round.reviews.perTrack as Record<string, { expected: number }>).reduce((t, x) => t + x.expected, 0),
    ).toBe(reviewLinks.length);
    const final = p.rounds.find((r: { roundId: string }) => r.roundId !== 'intake' && r.roundId !== 'preliminary');
    expect(final).toMatchObject({ status: 'NOT_STARTED', execution: { status: 'NOT_STARTED' } });
    expect(p.awards).toMatchObject({ status: 'NOT_STARTED', execution: { machine: 'awards', status: 'NOT_STARTED' } });
    expect(p.projects).toEqual([]);
  });

  it('counts the e-mails of each stage as the outbox holds them', async () => {
    // Applicants' messages (submitted, screening result) are the intake stage's; experts' the round's.
    const stages = ['intake', 'preliminary'];
    const outboxes = await Promise.all(
      stages.map((stage) => deliveredOutbox(s, ID, stage).then((messages) => messages.length)),
    );
    const p = await progress();
    expect(p.mails).toEqual({
      pending: 0,
      sent: outboxes[0]! + outboxes[1]!,
      refused: 0,
      byStage: stages.map((stage, k) => ({ stage, pending: 0, sent: outboxes[k], refused: 0 })),
    });
    // 5 submitted (one later withdrawn, so 4 screened): one message each per event.
    expect(outboxes[0]).toBe(5 + 4);
  });

  it('agrees with the metrics the functions published (read as CloudWatch would read their EMF lines)', async () => {
    const series = await metrics();
    for (const track of ['ic', 'ai'] as const) {
      expect(sumOf(series, 'EntriesCreated', { trackId: track })).toBe(created[track]);
      expect(sumOf(series, 'EntriesSubmitted', { trackId: track })).toBe(submitted[track]);
    }
    expect(sumOf(series, 'EntriesWithdrawn')).toBe(1);
    const p = await progress();
    const eligible = p.intake.tracks.reduce(
      (t: number, x: { entries: { ELIGIBLE: number } }) => t + x.entries.ELIGIBLE,
      0,
    );
    expect(sumOf(series, 'EntriesEligible')).toBe(eligible);
    expect(sumOf(series, 'EntriesIneligible')).toBe(0);
    expect(sumOf(series, 'ReviewsAssigned', { roundId: 'preliminary' })).toBe(reviewLinks.length);
    expect(sumOf(series, 'ReviewsSubmitted', { roundId: 'preliminary' })).toBe(reviewLinks.length / 2);
    expect(sumOf(series, 'MailsSent')).toBe(p.mails.sent);
    // No metric names a person or an entry: only ids and outcomes as dimensions.
    const dimensionNames = new Set(series.flatMap((m) => Object.keys(m.dimensions)));
    expect([...dimensionNames].sort()).toEqual(['competitionId', 'roundId', 'trackId']);
  });

  it('does not count a retried submission twice', async () => {
    await submit(reviewLinks[0]!);
    expect(sumOf(await metrics(), 'ReviewsSubmitted')).toBe(reviewLinks.length / 2);
    expect((await progress()).rounds[1].reviews.received).toBe(reviewLinks.length / 2);
  });

  it('`npm run admin -- watch` draws what the route returned', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    await watch(adminClient({ apiUrl: s.apiUrl, adminKey: ADMIN_KEY }), ID, {
      once: true,
      intervalMs: 1000,
      stream: out,
    });
    const half = reviewLinks.length / 2;
    expect(text).toContain(`${half}/${reviewLinks.length} reviews · REVIEWING · execution RUNNING`);
    expect(text).toContain(`sent ${(await progress()).mails.sent} · pending 0 · refused 0`);
    expect(text).toMatch(/ ai .*submitted 1 · draft 0 · eligible 1 · ineligible 0 · withdrawn 1/);
    expect(text).toContain('intake');
  });

  it('answers 404 for an unknown competition, like any missing record', async () => {
    const r = await s.req('GET', '/admin/competitions/no-such-competition/progress', { admin: true });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });
});
