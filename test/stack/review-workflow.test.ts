import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture, expertPool } from '../fixtures/competition.ts';
import { deliveredOutbox } from '../fixtures/mail.ts';
import { rawDynamo, startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { getAssignment } from '../../functions/store/reviews.ts';

/**
 * A whole preliminary round on the local stack, driven by the synthesized
 * review state machine: intake and screening, exact assignment with signed
 * links in the outbox, experts submitting through the reviewer page, the last
 * review resuming the callback step once, tally and advancement; and a round
 * whose deadline passes first.
 */
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
  const experts = expertPool('rev', 4);
  expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);
}, 120_000);
afterAll(async () => s?.stop());

/**
 * A competition whose intake closes in `intakeMs` (or later, so that its entries can all be created
 * before the deadline on a loaded machine) and whose preliminary round closes `reviewMs` later.
 */
const setup = async (
  id: string,
  shortestIntakeMs: number,
  reviewMs: number,
  entries: Array<{ track: string; name: string }>,
  reminderHoursBefore: number[] = [48, 24],
  extra: Record<string, unknown> = {},
) => {
  const intakeMs = Math.max(shortestIntakeMs, 1500 + 800 * entries.length);
  const now = Date.now();
  const base = competitionFixture({ id, deadline: now + intakeMs });
  const iso = (t: number) => new Date(t).toISOString();
  const rounds = [
    base.rounds[0],
    {
      ...(base.rounds[1] as object),
      reviewOpensAt: iso(now + intakeMs + 1),
      reviewClosesAt: iso(now + intakeMs + reviewMs),
      reviewersPerEntry: 2,
      aggregation: { kind: 'mean' },
      advancement: { topKPerTrack: 2 },
      reminderHoursBefore,
      ...extra,
    },
    {
      ...(base.rounds[2] as object),
      reviewOpensAt: iso(now + intakeMs + reviewMs + 60_000),
      reviewClosesAt: iso(now + intakeMs + reviewMs + 120_000),
    },
  ];
  expect((await s.req('POST', '/admin/competitions', { admin: true, body: { ...base, rounds } })).status).toBe(201);
  const ids: Record<string, string> = {};
  for (const e of entries) {
    const r = await s.req('POST', `/competitions/${id}/entries`, {
      body: demoEntry({
        trackId: e.track,
        solution: '方案',
        applicant: { ...demoEntry().applicant, organizationName: e.name },
      }),
    });
    expect(r.status).toBe(201);
    ids[e.name] = r.body.entry.entryId;
  }
  const intake = await s.req('POST', `/admin/competitions/${id}/rounds/intake/start`, { admin: true });
  expect((await s.sfn.waitFor(intake.body.executionArn, 60_000)).status).toBe('SUCCEEDED');
  return ids;
};

/** The outbox once the assignment step has finished (the round is then REVIEWING), as delivered. */
const outbox = async (id: string) => {
  await expect
    .poll(
      async () => (await s.req('GET', `/admin/competitions/${id}/rounds/preliminary`, { admin: true })).body.run.status,
      { timeout: 15_000 },
    )
    .toBe('REVIEWING');
  return deliveredOutbox(s, id, 'preliminary');
};

const post = async (path: string, form: Record<string, string>) => {
  const r = await fetch(`${s.apiUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  expect(r.status).toBe(303);
};
const submit = (path: string, score: number) =>
  post(path, {
    action: 'submit',
    'score.innovation': String(score),
    'score.feasibility': String(score),
    'score.market': String(score),
    'score.team': String(score),
  });

type Message = { kind: string; expertEmail: string; links: Array<{ assignmentId: string; purpose?: string }> };
/** The round's outbox, read two messages a page (so every round here pages through it). */
const messagesOf = async (id: string): Promise<Message[]> =>
  s.all(`/admin/competitions/${id}/rounds/preliminary/outbox`, { admin: true, limit: 2 });
const statesOf = (events: Array<{ type: string; stateEnteredEventDetails?: unknown }>) =>
  events
    .filter((e) => e.type.endsWith('StateEntered'))
    .map((e) => (e.stateEnteredEventDetails as { name: string }).name);

describe('review round workflow', () => {
  it('assigns, collects every review through the page, resumes once, tallies and advances the top 2 per track', async () => {
    const names = ['芯一', '芯二', '芯三', '芯四']
      .map((name) => ({ track: 'ic', name }))
      .concat(['智一', '智二', '智三'].map((name) => ({ track: 'ai', name })));
    const ids = await setup('rw-full', 3000, 10 * 60_000, names);
    const scoreOf = new Map(Object.entries(ids).map(([_name, entryId], k) => [entryId, 90 - k * 5])); // 芯一 best in ic, 智一 best in ai

    const start = await s.req('POST', '/admin/competitions/rw-full/rounds/preliminary/start', { admin: true });
    expect(start.status).toBe(202);
    const messages = await outbox('rw-full');
    const links = messages.flatMap((m) => m.links ?? []);
    expect(links).toHaveLength(names.length * 2);
    // The table stream drives the delivery function, which signs the expert's one link — to their home in
    // the round — and mails it through (local) SES; the home lists a review link for each assignment.
    expect(links.every((l) => l.url === `${s.apiUrl}${l.path}` && l.path!.startsWith('/review/'))).toBe(true);
    for (const m of messages) {
      const mails = s.mail.list().filter((x) => x.to[0] === m.expertEmail && x.subject.includes('初赛'));
      expect(mails).toHaveLength(1);
      expect(m.home?.path).toMatch(/^\/experts\//);
      expect(mails[0]!.text).toContain(m.home!.url);
      expect(mails[0]!.text).not.toContain('/review/');
    }
    const page = await (await fetch(`${s.sfnEndpoint}/mail`)).text();
    expect(page).toContain(`<a href="${messages[0]!.home!.url}">`);
    for (const l of links) {
      const a = await getAssignment(l.assignmentId);
      await submit(l.path!, scoreOf.get(a!.entryId)!);
    }
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({
      entries: 7,
      scored: 7,
      advanced: 4,
      reviewsExpected: 14,
      reviewsReceived: 14,
      allReviewsIn: true,
    });
    // The round's history is a handful of events, however many entries and reviews.
    expect(
      done.events
        .filter((e) => e.type.endsWith('StateEntered'))
        .map((e) => (e.stateEnteredEventDetails as { name: string }).name),
    ).toEqual(['AssignReviewers', 'WaitForReviews', 'FollowUpReviews', 'AllReviewsIn?', 'Tally']);

    const round = (await s.req('GET', '/admin/competitions/rw-full/rounds/preliminary', { admin: true })).body;
    expect(round.run.status).toBe('TALLIED');
    // The round keeps the assignment report the dry run gives: affinity, weak-only entries, load, conflicts avoided, certificate.
    expect(round.run.assignment).toMatchObject({
      mode: 'assigned',
      shortfalls: [],
      entriesWithOnlyWeakReviewers: [],
      loadHistogram: expect.any(Object),
      conflictsAvoided: { total: expect.any(Number) },
      certificate: { optimal: true },
    });
    expect(round.run.assignment.minEntryAffinity).toBeGreaterThan(0);
    expect(round.progress).toMatchObject({
      expected: 14,
      received: 14,
      perTrack: { ic: { expected: 8, received: 8 }, ai: { expected: 6, received: 6 } },
    });
    const advanced = round.decisions
      .filter((d: { advanced: boolean }) => d.advanced)
      .map((d: { entryId: string }) => d.entryId);
    expect(advanced.sort()).toEqual([ids.芯一, ids.芯二, ids.智一, ids.智二].sort());
    const third = round.decisions.find((d: { entryId: string }) => d.entryId === ids.芯三);
    expect(third).toMatchObject({ advanced: false, trackRank: 3, decidedBy: 'track rank 3 > top 2', totals: [80, 80] });

    // Anyone with the audit record reaches the same decisions; a decision changed afterwards is named.
    const replay = async () =>
      (await s.req('GET', '/admin/competitions/rw-full/rounds/preliminary/replay', { admin: true })).body;
    expect(await replay()).toMatchObject({
      matches: true,
      decisions: 7,
      differences: 0,
      // The assignment is on the record too: the hash of its 14 pairs, computed again from the stored ones.
      assignment: { matches: true, stored: { assigned: 14, added: 0 } },
    });
    // The round item keeps a summary; the whole report has items of its own.
    const report = (
      await s.req('GET', '/admin/competitions/rw-full/rounds/preliminary/assignment-report', { admin: true })
    ).body.report;
    expect(report).toMatchObject({ mode: 'assigned', loadHistogram: expect.any(Object) });
    expect(report.certificate).toBeDefined();
    expect(round.run.assignment).toMatchObject({ mode: 'assigned', totalAffinity: report.totalAffinity });
    expect(round.run.assignmentReportParts).toBe(1);
    const ddb = rawDynamo(s);
    await ddb.send(
      new UpdateItemCommand({
        TableName: s.tableName,
        Key: { pk: { S: 'COMP#rw-full' }, sk: { S: `DECISION#preliminary#${ids.芯三}` } },
        UpdateExpression: 'SET advanced = :t',
        ExpressionAttributeValues: { ':t': { BOOL: true } },
      }),
    );
    const bent = await replay();
    expect(bent).toMatchObject({ matches: false, differences: 1 });
    expect(bent.firstDifferences[0]).toMatchObject({
      entryId: ids.芯三,
      replayed: { advanced: false },
      stored: { advanced: true },
    });
    // An assignment slipped in around the workflow (a friendly reviewer for one entry) is named too.
    await ddb.send(
      new PutItemCommand({
        TableName: s.tableName,
        Item: {
          pk: { S: 'ASSIGN#slipped-in' },
          sk: { S: 'ASSIGN' },
          gsi1pk: { S: 'REVIEWS#rw-full#preliminary' },
          gsi1sk: { S: `${ids.芯三}#friend@example.com` },
          assignmentId: { S: 'slipped-in' },
          competitionId: { S: 'rw-full' },
          roundId: { S: 'preliminary' },
          entryId: { S: ids.芯三! },
          trackId: { S: 'ic' },
          expertEmail: { S: 'friend@example.com' },
          status: { S: 'SUBMITTED' },
          linkVersion: { N: '1' },
        },
      }),
    );
    expect((await replay()).assignment).toMatchObject({ matches: false, stored: { assigned: 15 } });
  });

  it('closes on the deadline with the reviews that arrived', async () => {
    const ids = await setup('rw-late', 2500, 6000, [
      { track: 'ic', name: '迟到一' },
      { track: 'ic', name: '迟到二' },
    ]);
    const start = await s.req('POST', '/admin/competitions/rw-late/rounds/preliminary/start', { admin: true });
    const links = (await outbox('rw-late')).flatMap((m) => m.links ?? []);
    const first = links.find((l) => l.path && true)!;
    await submit(first.path!, 70); // one review of four
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect([done.status, done.error, done.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(JSON.parse(done.output!)).toMatchObject({
      entries: 2,
      scored: 1,
      reviewsExpected: 4,
      reviewsReceived: 1,
      allReviewsIn: false,
    });
    expect(
      done.events.some(
        (e) => e.type === 'TaskFailed' && (e.taskFailedEventDetails as { error: string }).error === 'States.Timeout',
      ),
    ).toBe(true);
    expect(Object.keys(ids)).toHaveLength(2);
  });

  it('reminds experts with pending reviews before the close, once per offset, then closes', async () => {
    // The round closes 10 s after intake; one reminder 0.0015 h (5.4 s) before that.
    await setup('rw-remind', 2500, 10_000, [{ track: 'ic', name: '提醒一' }], [0.0015]);
    const start = await s.req('POST', '/admin/competitions/rw-remind/rounds/preliminary/start', { admin: true });
    const messages = await outbox('rw-remind');
    const [first, second] = messages.flatMap((m) => m.links ?? []);
    await submit(first!.path!, 80); // this expert is done; the other is not
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(done.status).toBe('SUCCEEDED');
    const entered = done.events
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name);
    expect(entered).toEqual([
      'AssignReviewers',
      'WaitForReviews',
      'FollowUpReviews',
      'AllReviewsIn?',
      'WaitForReviews',
      'FollowUpReviews',
      'AllReviewsIn?',
      'Tally',
    ]);
    const after = await s.all('/admin/competitions/rw-remind/rounds/preliminary/outbox');
    const reminders = after.filter((m: { kind?: string }) => m.kind === 'REMINDER');
    expect(reminders).toHaveLength(1);
    // The organizer sees what each link is for, never a working link: that exists only in the e-mail.
    expect(reminders[0]).toMatchObject({ hoursBefore: 0.0015 });
    // It names the pending review and carries one link, to the expert's home in the round.
    expect(reminders[0].links).toEqual([
      { assignmentId: second!.assignmentId },
      {
        assignmentId: expect.stringMatching(/^[0-9A-Z]{26}$/),
        purpose: 'expert-home',
        version: 1,
        expiresAt: expect.any(String),
      },
    ]);
    const delivered = (await deliveredOutbox(s, 'rw-remind', 'preliminary')).find((m) => m.kind === 'REMINDER')!;
    expect(delivered.home!.path).toMatch(/^\/experts\//);
  });

  it('replaces a declined review (回避) with a backup reviewer, whose review completes the round', async () => {
    const ids = await setup('rw-decline', 2500, 10 * 60_000, [{ track: 'ic', name: '回避一' }], [48, 24], {
      backupReviewers: { minHoursToReview: 0 },
    });
    const start = await s.req('POST', '/admin/competitions/rw-decline/rounds/preliminary/start', { admin: true });
    const [first, second] = (await outbox('rw-decline')).flatMap((m) => m.links ?? []);
    await submit(first!.path!, 80);
    await post(second!.path!, { action: 'conflict', conflictReason: '曾与申报团队合作' });
    // The decline completed the round's count; the follow-up adds a backup instead of tallying.
    await expect
      .poll(async () => (await messagesOf('rw-decline')).filter((m) => m.kind === 'ADDED'), { timeout: 15_000 })
      .toHaveLength(1);
    const added = (await messagesOf('rw-decline')).find((m) => m.kind === 'ADDED')!;
    const backup = (await getAssignment(added.links[0]!.assignmentId))!;
    expect(backup).toMatchObject({ entryId: ids.回避一, replaces: second!.assignmentId, status: 'PENDING' });
    expect([first, second].map((l) => l!.assignmentId)).not.toContain(backup.assignmentId);
    // Replaying the follow-up step (at-least-once delivery) adds and sends nothing more.
    const followUp = s.model.functions.find((f) => f.logicalId.startsWith('ReviewFollowUp'))!;
    const replay = (await s.lambdas.invoke(followUp.arn, { competitionId: 'rw-decline', roundId: 'preliminary' })) as {
      next: string;
      added: number;
    };
    expect(replay).toMatchObject({ next: 'WAIT', added: 0 });
    expect((await messagesOf('rw-decline')).filter((m) => m.kind === 'ADDED')).toHaveLength(1);
    const [addedLink] = (await deliveredOutbox(s, 'rw-decline', 'preliminary')).find((m) => m.kind === 'ADDED')!.links;
    await submit(addedLink!.path!, 70);
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({
      scored: 1,
      reviewsExpected: 2,
      reviewsReceived: 2,
      allReviewsIn: true,
      reviewsByTrack: { ic: { expected: 2, received: 2 } },
    });
    expect(statesOf(done.events)).toEqual([
      'AssignReviewers',
      'WaitForReviews',
      'FollowUpReviews',
      'AllReviewsIn?',
      'WaitForReviews',
      'FollowUpReviews',
      'AllReviewsIn?',
      'Tally',
    ]);
    // The backup reviewer is on the record (REVIEWER_ADDED, in the same transaction as the addition).
    const replayed = (await s.req('GET', '/admin/competitions/rw-decline/rounds/preliminary/replay', { admin: true }))
      .body;
    expect(replayed).toMatchObject({ matches: true, assignment: { matches: true, stored: { assigned: 2, added: 1 } } });
  });

  it('reassigns a review still pending at the reassignment checkpoint; the old link stops working', async () => {
    // Closes 14 s after intake; pending reviews are reassigned 0.0025 h (9 s) before the close.
    await setup('rw-overdue', 2500, 14_000, [{ track: 'ic', name: '逾期一' }], [], {
      backupReviewers: { reassignPendingHoursBefore: 0.0025, minHoursToReview: 0 },
    });
    const start = await s.req('POST', '/admin/competitions/rw-overdue/rounds/preliminary/start', { admin: true });
    const [first, late] = (await outbox('rw-overdue')).flatMap((m) => m.links ?? []);
    await submit(first!.path!, 80);
    await expect
      .poll(async () => (await messagesOf('rw-overdue')).map((m) => m.kind).sort(), { timeout: 20_000 })
      .toEqual(['ADDED', 'ASSIGNED', 'ASSIGNED', 'WITHDRAWN']);
    const messages = await deliveredOutbox(s, 'rw-overdue', 'preliminary');
    expect(messages.find((m) => m.kind === 'WITHDRAWN')!.links).toEqual([{ assignmentId: late!.assignmentId }]);
    expect((await fetch(`${s.apiUrl}${late!.path}`)).status).toBe(410);
    await submit(messages.find((m) => m.kind === 'ADDED')!.links[0]!.path!, 60);
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(JSON.parse(done.output!)).toMatchObject({ reviewsExpected: 2, reviewsReceived: 2, allReviewsIn: true });
  });

  it('gives an entry whose scores disagree across the cutoff one extra reviewer before tallying', async () => {
    const ids = await setup(
      'rw-split',
      2500,
      10 * 60_000,
      [
        { track: 'ic', name: '分歧甲' },
        { track: 'ic', name: '分歧乙' },
        { track: 'ic', name: '分歧丙' },
      ],
      [48, 24],
      {
        advancement: { topKPerTrack: 1 },
        disagreement: { spreadAbove: 30, maxExtraPasses: 1 },
        backupReviewers: { minHoursToReview: 0 },
      },
    );
    const start = await s.req('POST', '/admin/competitions/rw-split/rounds/preliminary/start', { admin: true });
    const links = (await outbox('rw-split')).flatMap((m) => m.links ?? []);
    // 甲 90/90 leads (cutoff 90); 乙 95/40 spreads 55 across it; 丙 60/60 agrees.
    const given = new Map<string, number>();
    for (const l of links) {
      const a = (await getAssignment(l.assignmentId))!;
      const seen = given.get(a.entryId) ?? 0;
      given.set(a.entryId, seen + 1);
      await submit(l.path!, a.entryId === ids.分歧甲 ? 90 : a.entryId === ids.分歧丙 ? 60 : seen ? 40 : 95);
    }
    await expect
      .poll(async () => (await messagesOf('rw-split')).filter((m) => m.kind === 'ADDED'), { timeout: 15_000 })
      .toHaveLength(1);
    const extra = (await messagesOf('rw-split')).find((m) => m.kind === 'ADDED')!;
    expect(await getAssignment(extra.links[0]!.assignmentId)).toMatchObject({ entryId: ids.分歧乙, extraPass: 1 });
    const [extraLink] = (await deliveredOutbox(s, 'rw-split', 'preliminary')).find((m) => m.kind === 'ADDED')!.links;
    await submit(extraLink!.path!, 92);
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(JSON.parse(done.output!)).toMatchObject({
      reviewsExpected: 7,
      reviewsReceived: 7,
      disagreementPasses: 1,
      advanced: 1,
    });
    const round = (await s.req('GET', '/admin/competitions/rw-split/rounds/preliminary', { admin: true })).body;
    expect(round.decisions.find((d: { entryId: string }) => d.entryId === ids.分歧乙)).toMatchObject({
      totals: expect.arrayContaining([95, 40, 92]),
      advanced: false,
    });
  });

  it('panel mode: one panel per track scores every entry of the track, each expert on one panel', async () => {
    const more = Array.from({ length: 2 }, (_, k) => ({
      email: `panel${k}@example.com`,
      name: `评委${k}`,
      institution: `大学${k}`,
      fields: ['AI'],
      languages: ['zh'],
      maxLoadPerRound: 20,
    }));
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts: more } })).status).toBe(200);
    const ids = await setup(
      'rw-panel',
      2500,
      10 * 60_000,
      [
        { track: 'ic', name: '面板一' },
        { track: 'ic', name: '面板二' },
        { track: 'ai', name: '面板三' },
      ],
      [48, 24],
      { panel: { size: 2 } },
    );
    const start = await s.req('POST', '/admin/competitions/rw-panel/rounds/preliminary/start', { admin: true });
    const links = (await outbox('rw-panel')).flatMap((m) => m.links ?? []);
    expect(links).toHaveLength(2 * 2 + 1 * 2);
    const held = await Promise.all(links.map(async (l) => (await getAssignment(l.assignmentId))!));
    const panelOf = (entryId: string) =>
      held
        .filter((a) => a.entryId === entryId)
        .map((a) => a.expertEmail)
        .sort();
    expect(panelOf(ids.面板一!)).toEqual(panelOf(ids.面板二!));
    expect(panelOf(ids.面板三!)).toHaveLength(2);
    expect(panelOf(ids.面板三!).filter((e) => panelOf(ids.面板一!).includes(e))).toEqual([]);
    for (const l of links) await submit(l.path!, 75);
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(JSON.parse(done.output!)).toMatchObject({
      entries: 3,
      scored: 3,
      reviewsExpected: 6,
      reviewsReceived: 6,
      reviewsByTrack: { ic: { expected: 4, received: 4 }, ai: { expected: 2, received: 2 } },
    });
  });

  it('runs a final after the preliminary: only advanced entries, panel mode, earlier scores carried with their weight', async () => {
    const id = 'rw-multi';
    const names = [
      { track: 'ic', name: '多轮一' },
      { track: 'ic', name: '多轮二' },
      { track: 'ic', name: '多轮三' },
    ];
    const ids = await setup(id, 2500, 10 * 60_000, names, [48, 24], { advancement: { topKPerTrack: 2 } });
    // The final cannot start before the preliminary has been tallied.
    const early = await s.req('POST', `/admin/competitions/${id}/rounds/final/start`, { admin: true });
    expect([early.status, early.body.error.code]).toEqual([409, 'PREVIOUS_ROUND_NOT_FINISHED']);
    const competition = (await s.req('GET', `/admin/competitions/${id}`, { admin: true })).body.competition;
    const { competitionId: _c, version: _v, createdAt: _a, updatedAt: _u, ...config } = competition;
    config.rounds[2] = {
      ...config.rounds[2],
      panel: { size: 2 },
      carryPreviousWeight: 0.5,
      aggregation: { kind: 'mean' },
      advancement: {},
    };
    expect((await s.req('PUT', `/admin/competitions/${id}`, { admin: true, body: config })).status).toBe(200);

    const prelim = await s.req('POST', `/admin/competitions/${id}/rounds/preliminary/start`, { admin: true });
    const prelimScore = new Map([
      [ids.多轮一, 90],
      [ids.多轮二, 80],
      [ids.多轮三, 70],
    ]);
    for (const l of (await outbox(id)).flatMap((m) => m.links ?? []))
      await submit(l.path!, prelimScore.get((await getAssignment(l.assignmentId))!.entryId)!);
    expect((await s.sfn.waitFor(prelim.body.executionArn, 30_000)).status).toBe('SUCCEEDED');

    const final = await s.req('POST', `/admin/competitions/${id}/rounds/final/start`, { admin: true });
    expect(final.status).toBe(202);
    await expect
      .poll(
        async () => (await s.req('GET', `/admin/competitions/${id}/rounds/final`, { admin: true })).body.run?.status,
        { timeout: 15_000 },
      )
      .toBe('REVIEWING');
    const finalMessages = await deliveredOutbox(s, id, 'final');
    const finalLinks = finalMessages.flatMap((m) => m.links);
    const held = await Promise.all(finalLinks.map(async (l) => (await getAssignment(l.assignmentId))!));
    // Only the two advanced entries, each scored by the same two-member panel.
    expect([...new Set(held.map((a) => a.entryId))].sort()).toEqual([ids.多轮一, ids.多轮二].sort());
    expect(new Set(held.map((a) => a.expertEmail)).size).toBe(2);
    const finalScore = new Map([
      [ids.多轮一, 60],
      [ids.多轮二, 100],
    ]);
    for (const [k, l] of finalLinks.entries()) await submit(l.path!, finalScore.get(held[k]!.entryId)!);
    const done = await s.sfn.waitFor(final.body.executionArn, 30_000);
    expect(JSON.parse(done.output!)).toMatchObject({ entries: 2, scored: 2, reviewsExpected: 4, reviewsReceived: 4 });
    // The decisions page (one a page here), each with its rank; the status carries the first page.
    const decisions = (await s.all(`/admin/competitions/${id}/rounds/final/decisions`, { admin: true, limit: 1 })).sort(
      (a, b) => a.overallRank - b.overallRank,
    );
    // 0.5 · final + 0.5 · preliminary: 多轮二 0.5·100 + 0.5·80 = 90 beats 多轮一 0.5·60 + 0.5·90 = 75.
    expect(decisions.map((d: { entryId: string; aggregate: number }) => [d.entryId, d.aggregate])).toEqual([
      [ids.多轮二, 90],
      [ids.多轮一, 75],
    ]);
    const status = (await s.req('GET', `/admin/competitions/${id}/rounds/final`, { admin: true })).body;
    expect(status.decisions).toHaveLength(2);
    expect(status.decisionsNextCursor).toBeNull();
    const other = await s.req('GET', `/admin/competitions/${id}/rounds/final/decisions?limit=1`, { admin: true });
    // A cursor of one round's decisions is refused for another's.
    const wrong = await s.req(
      'GET',
      `/admin/competitions/${id}/rounds/preliminary/decisions?cursor=${other.body.nextCursor}`,
      { admin: true },
    );
    expect([wrong.status, wrong.body.error?.details?.issues?.[0]?.path]).toEqual([422, 'query.cursor']);
  });
});

describe('CSV exports of any size, produced to S3', () => {
  /** Asks for an export and follows it until done; answers the job and, when DONE, the file. */
  const exportOf = async (competitionId: string, body: Record<string, unknown>) => {
    const r = await s.req('POST', `/admin/competitions/${competitionId}/exports`, { admin: true, body });
    expect(r.status).toBe(202);
    expect(r.body.export).toMatchObject({ status: 'QUEUED', done: false });
    let got: { export: Record<string, any>; download?: { url: string; expiresAt: string } } = { export: {} };
    for (let k = 0; k < 200 && !got.export.done; k++) {
      got = (await s.req('GET', `/admin/exports/${r.body.export.exportId}`, { admin: true })).body;
      if (!got.export.done) await new Promise((res) => setTimeout(res, 100));
    }
    const file = got.download ? await fetch(got.download.url) : undefined;
    return { ...got, file, text: file ? await file.text() : undefined };
  };

  it('exports a tallied round’s decisions in rank order and every entry, through a short-lived link', async () => {
    const decisions = await s.all('/admin/competitions/rw-full/rounds/preliminary/decisions', { admin: true });
    const d = await exportOf('rw-full', { kind: 'DECISIONS_CSV', roundId: 'preliminary' });
    expect(d.export).toMatchObject({ status: 'DONE', rows: decisions.length });
    expect(d.export.key).toBeUndefined();
    expect(d.file!.headers.get('content-disposition')).toContain('rw-full-preliminary-decisions.csv');
    const lines = d
      .text!.replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('overallRank,trackRank,trackId,entryId,aggregate,advanced,decidedBy,totals');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(decisions.map((_, k) => k + 1));
    const e = await exportOf('rw-full', { kind: 'ENTRIES_CSV' });
    expect(e.export).toMatchObject({ status: 'DONE', rows: 7 });
    expect(e.text).toContain('芯一');
    // A link is only as good as its signature: tampered, it is refused by the storage.
    expect((await fetch(`${d.download!.url.slice(0, -4)}0000`)).status).toBe(403);
  });

  it('previews a round’s assignment as an export too (the same answer as the request, for rounds of any size)', async () => {
    const inRequest = (
      await s.req('GET', '/admin/competitions/rw-full/rounds/preliminary/assignment-preview', { admin: true })
    ).body;
    const p = await exportOf('rw-full', { kind: 'ASSIGNMENT_PREVIEW', roundId: 'preliminary' });
    expect(p.export).toMatchObject({ status: 'DONE', rows: inRequest.assignments.length });
    expect(p.file!.headers.get('content-type')).toContain('application/json');
    const preview = JSON.parse(p.text!);
    expect(preview.report.totalAffinity).toBe(inRequest.report.totalAffinity);
    expect(preview.assignments).toEqual(inRequest.assignments);
  });

  it('fails an export that cannot be made, with the reason; refuses a bad request with 422', async () => {
    const f = await exportOf('rw-full', { kind: 'DECISIONS_CSV', roundId: 'intake' });
    expect(f.export).toMatchObject({ status: 'FAILED', error: expect.stringContaining('not a review round') });
    expect(f.download).toBeUndefined();
    const bad = await s.req('POST', '/admin/competitions/rw-full/exports', { admin: true, body: { kind: 'ALL' } });
    expect(bad.status).toBe(422);
    expect(
      (await s.req('POST', '/admin/competitions/nope/exports', { admin: true, body: { kind: 'ENTRIES_CSV' } })).status,
    ).toBe(404);
  });
});
