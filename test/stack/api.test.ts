import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, systemClock, useClock } from '../../functions/runtime/clock.ts';
import { demoCompetition, demoEntry, demoNeeds } from '../../infra/local/demo.ts';
import { personalStrings, publicResponses } from '../fixtures/privacy.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

let s: TestStack;
const CID = 'api-test';
const DEADLINE = Date.now() + 7 * 86400_000;
const CONFIG = competitionFixture({ id: CID, deadline: DEADLINE });

beforeAll(async () => {
  s = await startTestStack();
  const r = await s.req('POST', '/admin/competitions', { admin: true, body: CONFIG });
  expect(r.status).toBe(201);
});
afterAll(async () => {
  useClock(systemClock);
  await s?.stop();
});

const entryFor = (org: string, extra: Record<string, unknown> = {}) =>
  demoEntry({ applicant: { ...demoEntry().applicant, organizationName: org }, ...extra });
const create = (body: unknown, headers: Record<string, string> = {}) =>
  s.req('POST', `/competitions/${CID}/entries`, { body, headers });
const countEntries = async (status: string, trackId = 'ic') =>
  (
    await s.req('GET', `/admin/competitions/${CID}/entries?trackId=${trackId}&status=${status}&limit=100`, {
      admin: true,
    })
  ).body.items.length as number;

describe('public competition routes', () => {
  it('lists and shows published competitions, hides drafts', async () => {
    await s.req('POST', '/admin/competitions', {
      admin: true,
      body: { ...competitionFixture({ id: 'hidden-draft' }), status: 'DRAFT' },
    });
    const list = await s.req('GET', '/competitions');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { competitionId: string }) => c.competitionId)).toEqual([CID]);
    expect((await s.req('GET', `/competitions/${CID}`)).body.competition.tracks).toHaveLength(3);
    expect((await s.req('GET', '/competitions/hidden-draft')).status).toBe(404);
  });

  it('shows nothing personal of the demo competition on any public route (its sponsor and organizer have e-mails)', async () => {
    const demo = { ...demoCompetition(), competitionId: 'privacy-demo' };
    expect((await s.req('POST', '/admin/competitions', { admin: true, body: demo })).status).toBe(201);
    expect(personalStrings(JSON.stringify(demo)).length).toBeGreaterThan(0);
    // A published need whose contact has an e-mail and a phone number.
    const need = demoNeeds(1)[0]!;
    expect(personalStrings(JSON.stringify(need.contact)).length).toBe(2);
    const posted = await s.req('POST', '/competitions/privacy-demo/needs', { body: need });
    const needId = posted.body.need.needId as string;
    await s.req('POST', `/admin/needs/${needId}/decision`, { admin: true, body: { action: 'PUBLISH' } });
    const walked = await publicResponses(s, 'privacy-demo');
    expect(walked.find((r) => r.path === '/competitions/privacy-demo')?.status).toBe(200);
    expect(walked.find((r) => r.path === `/needs/${needId}`)?.status).toBe(200);
    for (const r of walked)
      expect({ path: r.path, personal: personalStrings(r.text) }).toEqual({ path: r.path, personal: [] });
  });

  it('refuses a cursor that was not issued for the list', async () => {
    const r = await s.req('GET', '/competitions?cursor=bm90LWEtY3Vyc29y');
    expect(r.status).toBe(422);
    expect(r.body.error.details.issues[0].path).toBe('query.cursor');
  });

  it('serves the OpenAPI document', async () => {
    const r = await s.req('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toContain('/competitions/{competitionId}/entries');
  });
});

describe('organizer routes', () => {
  it('require the admin key locally (IAM in AWS)', async () => {
    expect((await s.req('GET', `/admin/competitions/${CID}`)).status).toBe(403);
    expect((await s.req('GET', `/admin/competitions/${CID}`, { headers: { 'x-admin-key': 'wrong' } })).status).toBe(
      403,
    );
    expect((await s.req('GET', `/admin/competitions/${CID}`, { admin: true })).status).toBe(200);
  });

  it('refuse an inconsistent configuration with every failing path, and store nothing', async () => {
    const bad = competitionFixture({ id: 'bad-config' });
    bad.rubric.criteria[0]!.weight = 10;
    const r = await s.req('POST', '/admin/competitions', { admin: true, body: bad });
    expect(r.status).toBe(422);
    expect(r.body.error.details.issues).toContainEqual(
      expect.objectContaining({ path: 'rubric.criteria', code: 'weights_sum' }),
    );
    expect((await s.req('GET', '/admin/competitions/bad-config', { admin: true })).status).toBe(404);
  });

  it('create is idempotent for an identical body and 409 for a different one', async () => {
    const again = await s.req('POST', '/admin/competitions', { admin: true, body: CONFIG });
    expect(again.status).toBe(200);
    const other = await s.req('POST', '/admin/competitions', {
      admin: true,
      body: { ...CONFIG, title: { zh: '别的比赛' } },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('COMPETITION_EXISTS');
  });

  it('update refuses removing a track and keeps the stored version', async () => {
    const { competitionId: _c, ...config } = CONFIG;
    const r = await s.req('PUT', `/admin/competitions/${CID}`, {
      admin: true,
      body: { ...config, tracks: config.tracks.slice(1) },
    });
    expect(r.status).toBe(409);
    expect((await s.req('GET', `/admin/competitions/${CID}`, { admin: true })).body.competition.version).toBe(1);
  });
});

describe('entries', () => {
  it('round-trips Chinese, emoji, mixed scripts and HTML exactly', async () => {
    const title = '量子点显示 <b>QD</b> 🚀 Ünïcødé ﷽ 𠀀';
    const created = await create(entryFor('字符测试有限公司', { title }));
    expect(created.status).toBe(201);
    const got = await s.req('GET', `/entries/${created.body.entry.entryId}`, { token: created.body.accessToken });
    expect(got.body.entry.title).toBe(title);
    expect(got.headers.get('content-type')).toContain('application/json');
  });

  it('only the token holder reaches an entry; unknown id and wrong token look the same', async () => {
    const created = await create(entryFor('令牌测试公司'));
    const id = created.body.entry.entryId as string;
    const wrong = await s.req('GET', `/entries/${id}`, { token: 'x'.repeat(43) });
    const unknown = await s.req('GET', '/entries/01J00000000000000000000000', { token: created.body.accessToken });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(wrong.body).toEqual(unknown.body);
    expect((await s.req('GET', `/entries/${id}`)).status).toBe(401);
    expect(
      JSON.stringify((await s.req('GET', `/entries/${id}`, { token: created.body.accessToken })).body),
    ).not.toContain('tokenHash');
  });

  it('same Idempotency-Key + same body → same response; different body → 422; one entry stored', async () => {
    const before = await countEntries('SUBMITTED', 'ai');
    const body = entryFor('幂等测试公司', { trackId: 'ai' });
    const [a, b] = await Promise.all([
      create(body, { 'idempotency-key': 'idem-key-001' }),
      create(body, { 'idempotency-key': 'idem-key-001' }),
    ]);
    const c = await create(body, { 'idempotency-key': 'idem-key-001' });
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(new Set([a.body.entry.entryId, b.body.entry.entryId, c.body.entry.entryId]).size).toBe(1);
    expect(c.body.accessToken).toBe(a.body.accessToken);
    const changed = await create({ ...body, title: '不同的标题' }, { 'idempotency-key': 'idem-key-001' });
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await countEntries('SUBMITTED', 'ai')).toBe(before + 1);
  });

  it('one active entry per organization per track, enforced under concurrency', async () => {
    const body = entryFor('并发测试科技有限公司');
    const results = await Promise.all(Array.from({ length: 8 }, () => create(body)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(7);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('ENTRY_LIMIT_REACHED');
    // The same organization may enter another track, and again after withdrawing.
    expect((await create({ ...body, trackId: 'ai' })).status).toBe(201);
    const winner = results.find((r) => r.status === 201)!;
    expect(
      (await s.req('POST', `/entries/${winner.body.entry.entryId}/withdraw`, { token: winner.body.accessToken })).body
        .entry.status,
    ).toBe('WITHDRAWN');
    expect((await create(body)).status).toBe(201);
  });

  it('draft → edit → submit → withdraw, each step idempotent', async () => {
    const created = await create(entryFor('流程测试公司', { submit: false, summary: undefined }));
    expect(created.body.entry.status).toBe('DRAFT');
    const { entryId } = created.body.entry;
    const token = created.body.accessToken as string;
    const submitEarly = await s.req('POST', `/entries/${entryId}/submit`, { token });
    expect(submitEarly.status).toBe(422);
    expect(submitEarly.body.error.details.issues[0].path).toBe('summary');
    const { submit: _s, trackId: _t, ...content } = entryFor('流程测试公司', { summary: '补充了摘要' });
    const put = await s.req('PUT', `/entries/${entryId}`, { token, body: content });
    expect(put.status).toBe(200);
    expect(put.body.entry.version).toBe(2);
    expect((await s.req('PUT', `/entries/${entryId}`, { token, body: content })).body.entry.version).toBe(2);
    const sub1 = await s.req('POST', `/entries/${entryId}/submit`, { token });
    const sub2 = await s.req('POST', `/entries/${entryId}/submit`, { token });
    expect([sub1.body.entry.status, sub2.body.entry.status]).toEqual(['SUBMITTED', 'SUBMITTED']);
    expect(sub2.body.entry.version).toBe(sub1.body.entry.version);
    await s.req('POST', `/entries/${entryId}/withdraw`, { token });
    const again = await s.req('POST', `/entries/${entryId}/withdraw`, { token });
    expect(again.status).toBe(200);
    expect((await s.req('POST', `/entries/${entryId}/submit`, { token })).body.error.code).toBe('ENTRY_WITHDRAWN');
    expect((await s.req('PUT', `/entries/${entryId}`, { token, body: content })).status).toBe(409);
  });

  it('accepts at the deadline’s last millisecond and refuses after it (server clock)', async () => {
    try {
      useClock(fixedClock(new Date(DEADLINE)));
      expect((await create(entryFor('最后一毫秒公司'))).status).toBe(201);
      useClock(fixedClock(new Date(DEADLINE + 1)));
      const late = await create(entryFor('迟到一毫秒公司'));
      expect(late.status).toBe(409);
      expect(late.body.error.code).toBe('DEADLINE_PASSED');
    } finally {
      useClock(systemClock);
    }
  });

  it.each([
    ['POST', `/competitions/${CID}/entries`, '{"trackId":', 400, 'MALFORMED_JSON'],
    [
      'POST',
      `/competitions/${CID}/entries`,
      JSON.stringify(entryFor('坏输入公司', { trackId: 'no-such-track' })),
      422,
      'VALIDATION_FAILED',
    ],
    [
      'POST',
      `/competitions/${CID}/entries`,
      JSON.stringify(entryFor('坏输入公司', { documents: [{ type: 'OTHER', name: 'x', url: 'javascript:alert(1)' }] })),
      422,
      'VALIDATION_FAILED',
    ],
    [
      'POST',
      `/competitions/${CID}/entries`,
      JSON.stringify({ ...entryFor('坏输入公司'), submit: 'yes' }),
      422,
      'VALIDATION_FAILED',
    ],
    ['POST', '/admin/competitions', '[]', 422, 'VALIDATION_FAILED'],
  ])('%s %s with bad input → clear 4xx, nothing stored', async (method, path, raw, status, code) => {
    const before = await countEntries('SUBMITTED');
    const r = await s.req(method, path, { raw, admin: path.startsWith('/admin') });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toEqual(expect.any(String));
    expect(await countEntries('SUBMITTED')).toBe(before);
  });

  it('answers malformed paths and unknown routes like API Gateway, without crashing', async () => {
    expect((await s.req('GET', '/entries/%E0%A4%A')).status).toBe(400);
    expect((await s.req('DELETE', `/competitions/${CID}`)).status).toBe(404);
    expect((await s.req('GET', '/competitions')).status).toBe(200);
  });

  it('refuses a body over the API Gateway cap before any handler runs', async () => {
    const r = await s.req('POST', `/competitions/${CID}/entries`, { raw: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(r.status).toBe(413);
  });
});

describe('expert pool (专家库)', () => {
  const experts = [
    {
      email: 'Wang.Fang@example.com',
      name: '王芳',
      institution: '复旦大学',
      fields: ['IC'],
      keywords: ['存算一体'],
      languages: ['zh', 'en'],
      maxLoadPerRound: 20,
    },
    {
      email: 'chen@example.com',
      name: '陈明',
      institution: '浙江大学',
      fields: ['AI'],
      maxLoadPerRound: 15,
      conflicts: { organizations: ['杭州示例微电子有限公司'], applicants: [] },
    },
  ];
  const count = async () =>
    (await s.req('GET', '/admin/experts?limit=100', { admin: true })).body.items.length as number;

  it('imports by e-mail; re-importing the same list changes nothing', async () => {
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).body).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).body).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    const changed = [{ ...experts[0]!, maxLoadPerRound: 25 }, experts[1]!];
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts: changed } })).body).toEqual({
      created: 0,
      updated: 1,
      unchanged: 1,
    });
    // One expert a page: the pages add up to the pool, in e-mail order, and the last names no next page.
    const list = await s.all('/admin/experts', { admin: true, limit: 1 });
    expect(list.map((e: { email: string }) => e.email)).toEqual(['chen@example.com', 'wang.fang@example.com']);
    expect(list[1].maxLoadPerRound).toBe(25);
    const first = await s.req('GET', '/admin/experts?limit=1', { admin: true });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect((await s.req('GET', '/admin/experts?limit=101', { admin: true })).status).toBe(422); // over the maximum
  });

  it('imports CSV; a file with any bad row imports nothing and names the cells', async () => {
    const header =
      'email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants';
    const good = `${header}\nli@example.com,李雷,上海交通大学,BIOMED;AI,抗体;高通量筛选,zh,10,,\n`;
    const r = await s.req('POST', '/admin/experts/csv', {
      admin: true,
      raw: good,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
    expect(r.body).toEqual({ created: 1, updated: 0, unchanged: 0 });
    const before = await count();
    const bad = `${good}zhao@example.com,赵强,某研究院,AI,,zh,lots,,\n`;
    const refused = await s.req('POST', '/admin/experts/csv', {
      admin: true,
      raw: bad,
      headers: { 'content-type': 'text/csv' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['rows.3.maxLoadPerRound']);
    expect(await count()).toBe(before);
    expect((await s.req('POST', '/admin/experts/csv', { admin: true, raw: good })).status).toBe(415); // sent as JSON
  });

  it('refuses the same e-mail twice in one import', async () => {
    const r = await s.req('POST', '/admin/experts', {
      admin: true,
      body: { experts: [experts[0], { ...experts[0], email: 'WANG.fang@example.com' }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details.issues[0]).toMatchObject({ path: 'experts.1.email', code: 'duplicate_email' });
  });
});
