import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { PDF, documentClient } from '../fixtures/documents.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { needBody } from '../fixtures/needs.ts';

/**
 * 对接 and 签约 through the API: the sponsor meets a shortlisted solver, the solver accepts, deals are
 * recorded and corrected, and the statistics agree with the records they are computed from.
 */
let s: TestStack;
const CID = 'matching-demo';
const HOUR = 3600_000;

const published = async (n: number, over: Record<string, unknown> = {}) => {
  const r = await s.req('POST', `/competitions/${CID}/needs`, { body: { ...needBody(n, over), submit: true } });
  expect(r.status).toBe(201);
  const needId = r.body.need.needId as string;
  await s.req('POST', `/admin/needs/${needId}/decision`, { admin: true, body: { action: 'PUBLISH' } });
  return { needId, token: r.body.sponsorToken as string };
};
const answer = async (needId: string, org: string, region: string, over: Record<string, unknown> = {}) => {
  const r = await s.req('POST', `/competitions/${CID}/entries`, {
    body: demoEntry({ applicant: { ...demoEntry().applicant, organizationName: org, region }, needId, ...over }),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { entryId: r.body.entry.entryId as string, token: r.body.accessToken as string };
};
const meeting = (over: Record<string, unknown> = {}) => ({
  startsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
  durationMinutes: 90,
  format: 'HYBRID',
  place: '苏州工业园区 长三角国创中心 3 楼',
  link: 'https://meeting.example.com/j/123456',
  attendees: [
    { name: '王工', side: 'SPONSOR', role: '技术总监' },
    { name: '李博士', side: 'SOLVER' },
  ],
  agenda: '技术方案交流与合作方式讨论',
  ...over,
});
const deal = (entryId: string, over: Record<string, unknown> = {}) => ({
  entryId,
  contractType: 'TECH_DEVELOPMENT',
  amount: { amount: '1200000.50', currency: 'CNY' },
  signedOn: '2026-11-30',
  landing: { region: 'CN-JS', city: '苏州' },
  ...over,
});

let a: { needId: string; token: string }; // IC need of a Shanghai company
let b: { needId: string; token: string }; // AI need of a Jiangsu company
let solver1: { entryId: string; token: string }; // Jiangsu org answering a
let solver2: { entryId: string; token: string }; // Singapore org answering a
let solver1b: { entryId: string; token: string }; // the Jiangsu org again, answering b
let drafted: { entryId: string; token: string }; // a draft answer to b: not counted

beforeAll(async () => {
  s = await startTestStack();
  const r = await s.req('POST', '/admin/competitions', {
    admin: true,
    body: { ...competitionFixture({ id: CID }), needs: { sponsorsNominateExperts: true, maxNominationsPerNeed: 2 } },
  });
  expect(r.status).toBe(201);
  a = await published(101);
  b = await published(102, {
    field: 'AI',
    sponsor: { ...needBody(102).sponsor, region: 'CN-JS' },
    intendedInvestment: { amount: '800000', currency: 'CNY' },
  });
  solver1 = await answer(a.needId, '苏州揭榜科技有限公司', 'CN-JS');
  solver2 = await answer(a.needId, 'Lion City Photonics Pte Ltd', 'SG');
  solver1b = await answer(b.needId, '苏州揭榜科技有限公司', 'CN-JS', { trackId: 'ai' });
  drafted = await answer(b.needId, '草稿科技有限公司', 'CN-SH', { trackId: 'ai', submit: false });
});

describe('experts the sponsor nominates for its need’s panel', () => {
  it('takes pool experts only, never its own people, at most the competition’s number — and only where allowed', async () => {
    const experts = [
      { email: 'chip.prof@example.edu', name: '芯教授', institution: '某某大学', maxLoadPerRound: 5 },
      { email: 'own@example.com', name: '自家工程师', institution: needBody(101).sponsor.name, maxLoadPerRound: 5 },
      { email: 'other.prof@example.edu', name: '另一位教授', institution: '另一所大学', maxLoadPerRound: 5 },
    ];
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);
    const nominate = (emails: string[], token = a.token, needId = a.needId) =>
      s.req('PUT', `/needs/${needId}/experts`, { token, body: { experts: emails } });
    const cases: Array<[string[], string, string]> = [
      [['nobody@example.com'], 'experts.0', 'unknown_expert'],
      [['chip.prof@example.edu', 'own@example.com'], 'experts.1', 'conflict'],
      [['chip.prof@example.edu', 'other.prof@example.edu', 'x@example.com'], 'experts', 'too_big'],
    ];
    for (const [emails, path, code] of cases) {
      const r = await nominate(emails);
      expect(r.status, path).toBe(422);
      expect(r.body.error.details.issues[0]).toMatchObject({ path, code });
    }
    const ok = await nominate(['Chip.Prof@example.edu']);
    expect(ok.body).toEqual({ needId: a.needId, nominatedExperts: ['chip.prof@example.edu'] });
    const steps = (await s.req('GET', `/needs/${a.needId}`, { token: a.token })).body.need.history.length;
    expect((await nominate(['chip.prof@example.edu'])).status).toBe(200);
    expect((await s.req('GET', `/needs/${a.needId}`, { token: a.token })).body.need.history).toHaveLength(steps);
    expect((await nominate(['chip.prof@example.edu'], b.token)).status).toBe(404); // b's token, a's need

    const off = 'matching-off';
    await s.req('POST', '/admin/competitions', { admin: true, body: competitionFixture({ id: off }) });
    const posted = await s.req('POST', `/competitions/${off}/needs`, { body: needBody(120) });
    const refused = await nominate(['chip.prof@example.edu'], posted.body.sponsorToken, posted.body.need.needId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('NOMINATION_NOT_ALLOWED');
  });
});

describe('the sponsor reads the answers’ documents (揭榜)', () => {
  it('lists each answer’s clean documents and opens one through a recorded five-minute link; nobody else can', async () => {
    const docs = documentClient(s);
    const uploaded = await docs.upload(solver1, PDF);
    expect((await docs.settled(solver1, uploaded.document.documentId)).status).toBe('CLEAN');
    const answers = await s.all(`/needs/${a.needId}/answers`, { token: a.token });
    const mine = answers.find((x) => x.entryId === solver1.entryId)!;
    expect(mine.documents).toHaveLength(1);
    const [doc] = mine.documents;
    expect(doc).toMatchObject({ type: 'BUSINESS_PLAN', fileName: '商业计划书.pdf' });
    expect(answers.find((x) => x.entryId === solver2.entryId)!.documents).toEqual([]);
    const opened = await fetch(`${s.apiUrl}${doc.href}`, {
      headers: { authorization: `Bearer ${a.token}` },
      redirect: 'manual',
    });
    expect(opened.status).toBe(303);
    const bytes = Buffer.from(await (await fetch(opened.headers.get('location')!)).arrayBuffer());
    expect(bytes.equals(PDF)).toBe(true);
    const { accesses } = (await s.req('GET', `/admin/entries/${solver1.entryId}/documents`, { admin: true })).body;
    expect(accesses).toEqual([
      expect.objectContaining({ reader: 'NEED_SPONSOR', needId: a.needId, documentId: doc.documentId }),
    ]);
    // Another company's token, no token, or a path through a need the entry did not answer: nothing.
    expect((await s.req('GET', doc.href, { token: b.token })).status).toBe(404);
    expect((await s.req('GET', doc.href)).status).toBe(401);
    const sideways = `/needs/${b.needId}/answers/${solver1.entryId}/documents/${doc.documentId}`;
    expect((await s.req('GET', sideways, { token: b.token })).status).toBe(404);
  });
});
afterAll(async () => s?.stop());

describe('matchmaking meetings (对接)', () => {
  let meetingId: string;
  const propose = (body: unknown, o: { token?: string; entryId?: string; key?: string } = {}) =>
    s.req('POST', `/needs/${a.needId}/answers/${o.entryId ?? solver1.entryId}/meetings`, {
      token: o.token ?? a.token,
      body,
      headers: o.key ? { 'idempotency-key': o.key } : {},
    });

  it('is proposed only for a shortlisted answer; bad proposals get field paths and store nothing', async () => {
    const early = await propose(meeting());
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('ANSWER_NOT_SHORTLISTED');
    const shortlist = await s.req('POST', `/needs/${a.needId}/answers/${solver1.entryId}/decision`, {
      token: a.token,
      body: { action: 'SHORTLIST' },
    });
    expect(shortlist.status).toBe(200);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ format: 'ONLINE', link: undefined }, 'link'],
      [{ format: 'ONSITE', place: undefined }, 'place'],
      [{ link: 'http://meeting.example.com/j/1' }, 'link'],
      [{ startsAt: new Date(Date.now() - HOUR).toISOString() }, 'startsAt'],
      [{ attendees: [] }, 'attendees'],
      [{ durationMinutes: 5 }, 'durationMinutes'],
    ];
    for (const [over, path] of cases) {
      const r = await propose(meeting(over));
      expect(r.status, path).toBe(422);
      expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect(await s.all(`/needs/${a.needId}/meetings`, { token: a.token })).toEqual([]);
  });

  it('the sponsor proposes; a retry with the same key answers the same meeting; another sponsor reaches nothing', async () => {
    const body = meeting();
    const first = await propose(body, { key: 'meeting-key-0001' });
    expect(first.status).toBe(201);
    meetingId = first.body.meeting.meetingId;
    expect(first.body.meeting).toMatchObject({ status: 'PROPOSED', format: 'HYBRID', entryId: solver1.entryId });
    const again = await propose(body, { key: 'meeting-key-0001' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // The key belongs to the token it was used with: another company's token is not answered from it.
    expect((await propose(body, { key: 'meeting-key-0001', token: b.token })).status).toBe(404);
    expect(again.body.meeting.meetingId).toBe(meetingId);
    expect(await s.all(`/needs/${a.needId}/meetings`, { token: a.token })).toHaveLength(1);
    expect((await propose(meeting(), { token: b.token })).status).toBe(404);
    expect((await s.req('GET', `/needs/${a.needId}/meetings`, { token: b.token })).status).toBe(404);
    // Solver 2 was never shortlisted.
    expect((await propose(meeting(), { entryId: solver2.entryId })).body.error.code).toBe('ANSWER_NOT_SHORTLISTED');
  });

  it('the solver sees the proposal through its own token only, accepts it, and then sees the sponsor’s contact', async () => {
    const seen = await s.req('GET', `/entries/${solver1.entryId}/meetings`, { token: solver1.token });
    expect(seen.status).toBe(200);
    expect(seen.body.meetings.map((m: { meetingId: string }) => m.meetingId)).toEqual([meetingId]);
    expect(seen.body.need).toMatchObject({ needId: a.needId });
    expect(seen.body.sponsorContact).toBeUndefined();
    expect((await s.req('GET', `/entries/${solver1.entryId}/meetings`, { token: solver2.token })).status).toBe(404);
    expect(
      (await s.req('GET', `/entries/${solver2.entryId}/meetings`, { token: solver2.token })).body.meetings,
    ).toEqual([]);
    const respond = (body: unknown, entry = solver1) =>
      s.req('POST', `/entries/${entry.entryId}/meetings/${meetingId}/response`, { token: entry.token, body });
    expect((await respond({ action: 'DECLINE' })).body.error.details.issues[0].path).toBe('reason');
    expect((await respond({ action: 'ACCEPT' }, solver2)).status).toBe(404); // not its meeting
    const accepted = await respond({ action: 'ACCEPT' });
    expect(accepted.body.meeting.status).toBe('ACCEPTED');
    expect((await respond({ action: 'ACCEPT' })).body.meeting.history).toHaveLength(2); // the retry added nothing
    const late = await respond({ action: 'DECLINE', reason: '时间冲突' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('MEETING_STATUS_CONFLICT');
    const after = await s.req('GET', `/entries/${solver1.entryId}/meetings`, { token: solver1.token });
    expect(after.body.sponsorContact).toMatchObject({ name: '王工', email: 'wang101@example.com' });
  });

  it('the sponsor records the outcome only once the meeting has begun, with notes where it did not happen', async () => {
    const outcome = (id: string, body: unknown) =>
      s.req('POST', `/needs/${a.needId}/answers/${solver1.entryId}/meetings/${id}/outcome`, { token: a.token, body });
    const early = await outcome(meetingId, { outcome: 'HELD' });
    expect(early.body.error.code).toBe('MEETING_NOT_STARTED');
    expect((await outcome(meetingId, { outcome: 'NOT_HELD' })).body.error.details.issues[0].path).toBe('notes');

    const soon = await propose(meeting({ startsAt: new Date(Date.now() + 1500).toISOString() }));
    const soonId = soon.body.meeting.meetingId as string;
    await s.req('POST', `/entries/${solver1.entryId}/meetings/${soonId}/response`, {
      token: solver1.token,
      body: { action: 'ACCEPT' },
    });
    await new Promise((r) => setTimeout(r, 1600));
    const held = await outcome(soonId, { outcome: 'HELD', notes: '双方确认联合开发路线' });
    expect(held.body.meeting).toMatchObject({ status: 'HELD', outcomeNotes: '双方确认联合开发路线' });
    const cancelled = await outcome(meetingId, { outcome: 'CANCELLED', notes: '已在上次会议中达成一致' });
    expect(cancelled.body.meeting.status).toBe('CANCELLED');
    expect(cancelled.body.meeting.history.map((h: { action: string }) => h.action)).toEqual([
      'PROPOSE',
      'ACCEPT',
      'CANCELLED',
    ]);
    expect((await outcome('01J00000000000000000000000', { outcome: 'HELD' })).status).toBe(404);
  });
});

describe('deals (签约)', () => {
  let dealId: string;

  it('the sponsor records a deal with a solver that answered; a retry with the same key records it once', async () => {
    const headers = { 'idempotency-key': 'deal-key-000001' };
    const first = await s.req('POST', `/needs/${a.needId}/deals`, {
      token: a.token,
      body: deal(solver1.entryId),
      headers,
    });
    expect(first.status).toBe(201);
    dealId = first.body.deal.dealId;
    expect(first.body.deal).toMatchObject({
      status: 'SIGNED',
      amount: { amount: '1200000.50' },
      history: [{ by: 'SPONSOR' }],
    });
    const again = await s.req('POST', `/needs/${a.needId}/deals`, {
      token: a.token,
      body: deal(solver1.entryId),
      headers,
    });
    expect(again.body.deal.dealId).toBe(dealId);
    const own = await s.req('GET', `/needs/${a.needId}`, { token: a.token });
    expect(own.body.deals.map((d: { dealId: string }) => d.dealId)).toEqual([dealId]);
  });

  it('refuses bad deals with field paths and a solver that did not answer the need, storing nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: { amount: '1,000', currency: 'CNY' } }, 'amount.amount'],
      [{ signedOn: '2026-13-01' }, 'signedOn'],
      [{ landing: { region: 'Suzhou', city: '苏州' } }, 'landing.region'],
      [{ contractType: 'GIFT' }, 'contractType'],
      [{ entryId: 'nope' }, 'entryId'],
    ];
    for (const [over, path] of cases) {
      const r = await s.req('POST', `/needs/${a.needId}/deals`, { token: a.token, body: deal(solver1.entryId, over) });
      expect(r.status, path).toBe(422);
      expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const stranger = await s.req('POST', `/needs/${a.needId}/deals`, { token: a.token, body: deal(solver1b.entryId) });
    expect(stranger.status).toBe(404);
    expect(
      (await s.req('POST', `/needs/${a.needId}/deals`, { token: b.token, body: deal(solver1.entryId) })).status,
    ).toBe(404);
    expect(await s.all(`/admin/competitions/${CID}/needs/deals`)).toHaveLength(1);
  });

  it('the organizer records one too, and corrections keep the earlier terms, the reason and who made them', async () => {
    const organizer = await s.req('POST', `/admin/needs/${b.needId}/deals`, {
      admin: true,
      body: deal(solver1b.entryId, { amount: { amount: '300000', currency: 'CNY' }, contractType: 'TECH_LICENSE' }),
    });
    expect(organizer.status).toBe(201);
    expect(organizer.body.deal.history[0]).toMatchObject({ by: 'ORGANIZER' });
    expect(organizer.body.deal.history[0].principal).toBeTruthy();

    const correct = (body: unknown) =>
      s.req('POST', `/needs/${a.needId}/deals/${dealId}/corrections`, { token: a.token, body });
    expect((await correct({ amount: { amount: '1250000', currency: 'CNY' } })).body.error.details.issues[0].path).toBe(
      'reason',
    );
    const corrected = await correct({ amount: { amount: '1250000', currency: 'CNY' }, reason: '合同补充协议调整金额' });
    expect(corrected.status).toBe(200);
    expect(corrected.body.deal.amount.amount).toBe('1250000');
    expect(corrected.body.deal.history.at(-1)).toMatchObject({
      action: 'CORRECTED',
      reason: '合同补充协议调整金额',
      previous: { amount: { amount: '1200000.50', currency: 'CNY' } },
    });
    const retried = await correct({ amount: { amount: '1250000', currency: 'CNY' }, reason: '合同补充协议调整金额' });
    expect(retried.body.deal.history).toHaveLength(2);

    const failed = await s.req('POST', `/admin/needs/${b.needId}/deals/${organizer.body.deal.dealId}/corrections`, {
      admin: true,
      body: { status: 'FAILED', reason: '对方未能按期支付首付款' },
    });
    expect(failed.body.deal).toMatchObject({ status: 'FAILED', history: [{}, { previous: { status: 'SIGNED' } }] });
    // The sponsor of a cannot touch b's deal.
    expect(
      (
        await s.req('POST', `/needs/${a.needId}/deals/${organizer.body.deal.dealId}/corrections`, {
          token: a.token,
          body: { status: 'SIGNED', reason: 'x' },
        })
      ).status,
    ).toBe(404);
    const listed = await s.all(`/admin/competitions/${CID}/needs/deals`);
    expect(listed.map((d) => d.status).sort()).toEqual(['FAILED', 'SIGNED']);
  });
});

describe('the figures the center publishes', () => {
  it('counts exactly, and agrees with the detail lists it is computed from', async () => {
    const r = await s.req('GET', `/admin/competitions/${CID}/needs/statistics`, { admin: true });
    expect(r.status).toBe(200);
    const { total, byField, bySponsorRegion } = r.body.statistics;
    expect(total).toEqual({
      needs: { collected: 2, published: 2, answered: 2, matched: 1, signed: 1 },
      intendedInvestment: '5800000.00',
      answers: 3, // the draft answer to b is not an answer yet
      shortlisted: 1,
      // The Jiangsu org answered a Shanghai need (跨区域); the Singapore org is from abroad.
      answeringOrganizations: { total: 2, crossRegion: 1, fromAbroad: 1 },
      meetingsHeld: 1,
      dealsSigned: 1,
      contractAmount: '1250000.00',
    });
    expect(Object.keys(byField)).toEqual(['AI', 'IC']);
    expect(Object.keys(bySponsorRegion)).toEqual(['CN-JS', 'CN-SH']);
    expect(byField.AI).toMatchObject({ answers: 1, dealsSigned: 0, answeringOrganizations: { crossRegion: 0 } });

    // Additive figures sum over the groups to the total.
    for (const groups of [byField, bySponsorRegion]) {
      const sum = (pick: (f: typeof total) => number) =>
        Object.values(groups as Record<string, typeof total>).reduce((n, f) => n + pick(f), 0);
      expect(sum((f) => f.needs.collected)).toBe(total.needs.collected);
      expect(sum((f) => f.answers)).toBe(total.answers);
      expect(sum((f) => f.meetingsHeld)).toBe(total.meetingsHeld);
      expect(sum((f) => f.dealsSigned)).toBe(total.dealsSigned);
    }
    // And they agree with what the detail lists show.
    const publishedList = await s.all(`/admin/competitions/${CID}/needs?status=PUBLISHED`);
    expect(publishedList).toHaveLength(total.needs.published);
    const deals = await s.all(`/admin/competitions/${CID}/needs/deals`);
    const signed = deals.filter((d) => d.status === 'SIGNED');
    expect(signed).toHaveLength(total.dealsSigned);
    expect(signed.map((d) => Number(d.amount.amount).toFixed(2))).toEqual([total.contractAmount]);
    const answers = [
      ...(await s.all(`/needs/${a.needId}/answers`, { token: a.token })),
      ...(await s.all(`/needs/${b.needId}/answers`, { token: b.token })),
    ];
    expect(answers.filter((x) => x.entry.status !== 'DRAFT').length).toBe(total.answers);
    expect(answers.map((x) => x.entryId)).toContain(drafted.entryId);
    const meetings = await s.all(`/needs/${a.needId}/meetings`, { token: a.token });
    expect(meetings.filter((m) => m.status === 'HELD')).toHaveLength(total.meetingsHeld);

    const csv = await s.req('GET', `/admin/competitions/${CID}/needs/statistics?format=csv`, { admin: true });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows).toHaveLength(1 + 1 + 2 + 2);
    expect(rows[1]).toBe('total,,2,2,2,1,1,5800000.00,3,1,2,1,1,1,1,1250000.00');
    // The figures follow the entries: a withdrawn answer no longer counts, nor its organization.
    expect((await s.req('POST', `/entries/${solver2.entryId}/withdraw`, { token: solver2.token })).status).toBe(200);
    const after = (await s.req('GET', `/admin/competitions/${CID}/needs/statistics`, { admin: true })).body.statistics;
    expect(after.total.answers).toBe(2);
    expect(after.total.answeringOrganizations).toEqual({ total: 1, crossRegion: 1, fromAbroad: 0 });
    expect((await s.req('GET', '/admin/competitions/nope/needs/statistics', { admin: true })).status).toBe(404);
    expect((await s.req('GET', `/admin/competitions/${CID}/needs/statistics`)).status).toBe(403);
  });
});
