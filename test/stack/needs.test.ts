import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { needBody } from '../fixtures/needs.ts';

/** 企业出题 through the API: a company posts a need, the organizer vets it, solvers find it in the catalogue. */
let s: TestStack;
const CID = 'needs-demo';
const DAY = 86400_000;

const need = needBody;

const post = (body: unknown, headers: Record<string, string> = {}) =>
  s.req('POST', `/competitions/${CID}/needs`, { body, headers });

beforeAll(async () => {
  s = await startTestStack();
  const r = await s.req('POST', '/admin/competitions', { admin: true, body: competitionFixture({ id: CID }) });
  expect(r.status).toBe(201);
});
afterAll(async () => s?.stop());

describe('a need from posting to the catalogue', () => {
  let needId: string;
  let token: string;

  it('a company posts a draft and gets the need with a sponsor token; nobody else sees a draft', async () => {
    const r = await post(need(1));
    expect(r.status).toBe(201);
    ({ needId } = r.body.need);
    token = r.body.sponsorToken;
    expect(r.body.need).toMatchObject({ status: 'DRAFT', competitionId: CID, contact: { name: '王工' } });
    expect(r.body.need.tokenHash).toBeUndefined();
    expect((await s.req('GET', `/needs/${needId}`)).status).toBe(404);
    const own = await s.req('GET', `/needs/${needId}`, { token });
    expect(own.status).toBe(200);
    expect(own.body.need.history.map((h: { action: string }) => h.action)).toEqual(['CREATED']);
  });

  it('refuses bad bodies with field paths, and stores nothing', async () => {
    const before = await s.all(`/admin/competitions/${CID}/needs?status=DRAFT`);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ field: 'NEW_ENERGY' }, 'body.field'], // a field the competition does not have
      [{ answerDeadline: new Date(Date.now() + 30 * DAY).toISOString() }, 'body.answerDeadline'], // after intake closes
      [{ answerDeadline: new Date(Date.now() - DAY).toISOString() }, 'body.answerDeadline'],
      [{ intendedInvestment: { amount: '1e6', currency: 'CNY' } }, 'body.intendedInvestment.amount'],
      [{ intendedInvestment: { amount: '100.00', currency: 'USD' } }, 'body.intendedInvestment.currency'],
      [{ sponsor: { ...need(1).sponsor, creditCode: '91310000MA1000001X' } }, 'body.sponsor.creditCode'],
      [{ cooperation: [] }, 'body.cooperation'],
      [{ contact: undefined }, 'body.contact'],
    ];
    for (const [over, path] of cases) {
      const r = await post(need(2, over));
      expect(r.status, path).toBe(422);
      expect(r.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path.replace(/^body\./, ''));
    }
    expect(await s.all(`/admin/competitions/${CID}/needs?status=DRAFT`)).toHaveLength(before.length);
  });

  it('a retried post (same Idempotency-Key) answers the same need and token; another body with that key is a 422', async () => {
    const headers = { 'idempotency-key': 'need-post-0001' };
    const body = need(3);
    const first = await post(body, headers);
    const again = await post(body, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.need.needId).toBe(first.body.need.needId);
    expect(again.body.sponsorToken).toBe(first.body.sponsorToken);
    expect((await post(need(4), headers)).status).toBe(422);
  });

  it('the sponsor edits its draft and submits it; a submitted need cannot be edited', async () => {
    const edited = await s.req('PUT', `/needs/${needId}`, {
      token,
      body: need(1, { title: { zh: '车规级激光雷达芯片' } }),
    });
    expect(edited.status).toBe(200);
    expect(edited.body.need.title).toEqual({ zh: '车规级激光雷达芯片' });
    const submitted = await s.req('POST', `/needs/${needId}/submit`, { token });
    expect(submitted.body.need.status).toBe('SUBMITTED');
    const again = await s.req('POST', `/needs/${needId}/submit`, { token });
    expect(again.body.need.history).toHaveLength(3); // CREATED, UPDATED, SUBMITTED: the retry added nothing
    const late = await s.req('PUT', `/needs/${needId}`, { token, body: need(1) });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('NEED_NOT_EDITABLE');
  });

  it('another sponsor’s token, or none, reaches nothing', async () => {
    const other = (await post(need(5))).body.sponsorToken as string;
    expect((await s.req('GET', `/needs/${needId}`, { token: other })).status).toBe(404);
    expect((await s.req('PUT', `/needs/${needId}`, { token: other, body: need(5) })).status).toBe(404);
    expect((await s.req('POST', `/needs/${needId}/withdraw`, { token: other })).status).toBe(404);
    expect((await s.req('POST', `/needs/${needId}/withdraw`)).status).toBe(401);
    expect((await s.req('GET', `/needs/${needId}`, { token })).body.need.status).toBe('SUBMITTED');
  });

  it('the organizer returns it with a reason the company sees, then publishes the revision', async () => {
    const queue = await s.all(`/admin/competitions/${CID}/needs?status=SUBMITTED`);
    expect(queue.map((n) => n.needId)).toContain(needId);
    const noReason = await s.req('POST', `/admin/needs/${needId}/decision`, {
      admin: true,
      body: { action: 'RETURN' },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details.issues[0].path).toBe('reason');
    const returned = await s.req('POST', `/admin/needs/${needId}/decision`, {
      admin: true,
      body: { action: 'RETURN', reason: '请补充技术指标的测试条件' },
    });
    expect(returned.status).toBe(200);
    const seen = (await s.req('GET', `/needs/${needId}`, { token })).body.need;
    expect(seen.status).toBe('RETURNED');
    expect(seen.history.at(-1)).toMatchObject({
      by: 'ORGANIZER',
      action: 'RETURN',
      reason: '请补充技术指标的测试条件',
    });
    expect(seen.history.at(-1).principal).toBeTruthy();

    const revised = need(1, {
      title: { zh: '车规级激光雷达芯片', en: 'Automotive LiDAR chip' },
      indicators: [{ name: '测距', target: '≥ 200 m（10% 反射率）' }],
    });
    expect((await s.req('PUT', `/needs/${needId}`, { token, body: revised })).status).toBe(200);
    expect((await s.req('POST', `/needs/${needId}/submit`, { token })).body.need.status).toBe('SUBMITTED');
    const published = await s.req('POST', `/admin/needs/${needId}/decision`, {
      admin: true,
      body: { action: 'PUBLISH' },
    });
    expect(published.body.need.status).toBe('PUBLISHED');
    const rejectLate = await s.req('POST', `/admin/needs/${needId}/decision`, {
      admin: true,
      body: { action: 'REJECT', reason: '重复' },
    });
    expect(rejectLate.status).toBe(409);

    const pub = await s.req('GET', `/needs/${needId}`);
    expect(pub.status).toBe(200);
    expect(pub.body.need.title.en).toBe('Automotive LiDAR chip');
    expect(JSON.stringify(pub.body)).not.toMatch(/王工|example\.com|目标客户|creditCode|history/);
  });

  it('bulk vetting decides each need on its own and says why where it could not', async () => {
    const ids: string[] = [];
    for (const n of [10, 11, 12]) ids.push((await post({ ...need(n), submit: true })).body.need.needId);
    const r = await s.req('POST', `/admin/competitions/${CID}/needs/decisions`, {
      admin: true,
      body: {
        decisions: [
          { needId: ids[0], action: 'PUBLISH' },
          { needId: ids[1], action: 'PUBLISH' },
          { needId: ids[2], action: 'REJECT', reason: '不属于本赛事领域' },
          { needId: needId, action: 'REJECT', reason: '已发布' },
          { needId: '01J00000000000000000000000', action: 'PUBLISH' },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ decided: 3, refused: 2 });
    expect(r.body.results.map((x: { status?: string; error?: { code: string } }) => x.status ?? x.error!.code)).toEqual(
      ['PUBLISHED', 'PUBLISHED', 'REJECTED', 'NEED_STATUS_CONFLICT', 'NOT_FOUND'],
    );
    const bad = await s.req('POST', `/admin/competitions/${CID}/needs/decisions`, {
      admin: true,
      body: { decisions: [{ needId: ids[0], action: 'RETURN' }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.issues[0].path).toBe('decisions.0.reason');
  });

  it('a withdrawn need leaves the catalogue', async () => {
    const r = await post({ ...need(20), submit: true });
    const id = r.body.need.needId;
    await s.req('POST', `/admin/needs/${id}/decision`, { admin: true, body: { action: 'PUBLISH' } });
    const listed = async () => (await s.all(`/competitions/${CID}/needs`, { admin: false })).map((n) => n.needId);
    expect(await listed()).toContain(id);
    expect((await s.req('POST', `/needs/${id}/withdraw`, { token: r.body.sponsorToken })).body.need.status).toBe(
      'WITHDRAWN',
    );
    expect(await listed()).not.toContain(id);
    expect((await s.req('GET', `/needs/${id}`)).status).toBe(404);
  });
});

describe('the catalogue', () => {
  const CAT = 'needs-catalogue';
  const posted: Array<{ needId: string; field: string; region: string; amount: string; title: string }> = [];
  const regions = ['CN-SH', 'CN-JS', 'CN-ZJ', 'CN-AH', 'CN-GD'];
  const fields = ['IC', 'AI', 'BIOMED'];

  beforeAll(async () => {
    await s.req('POST', '/admin/competitions', { admin: true, body: competitionFixture({ id: CAT }) });
    for (let i = 0; i < 24; i++) {
      const field = fields[i % 3]!;
      const region = regions[i % 5]!;
      const amount = `${(i * 7919) % 100}${i % 4 === 0 ? '000000.50' : '00000.00'}`.replace(/^0+(?=\d)/, '');
      const title = i % 6 === 0 ? `激光雷达 LiDAR 方案 ${i}` : `工业视觉检测 ${i}`;
      const body = {
        ...need(100 + i),
        sponsor: { ...need(100 + i).sponsor, region },
        field,
        title: { zh: title },
        intendedInvestment: { amount, currency: 'CNY' },
        submit: true,
      };
      const r = await s.req('POST', `/competitions/${CAT}/needs`, { body });
      expect(r.status).toBe(201);
      const id = r.body.need.needId as string;
      expect(
        (await s.req('POST', `/admin/needs/${id}/decision`, { admin: true, body: { action: 'PUBLISH' } })).status,
      ).toBe(200);
      posted.push({ needId: id, field, region, amount, title });
    }
  }, 120_000);

  const list = (q: string, limit = 7) => s.all(`/competitions/${CAT}/needs?${q}`, { admin: false, limit });
  const cents = (a: string) => BigInt(a.replace('.', '').padEnd(a.includes('.') ? 0 : a.length + 2, '0'));
  const amountOf = (a: string) => {
    const [w, f = ''] = a.split('.');
    return BigInt(w!) * 100n + BigInt(f.padEnd(2, '0'));
  };
  void cents;

  it('pages through every published need, newest first, without repeats', async () => {
    const all = await list('');
    expect(all.map((n) => n.needId)).toEqual(posted.map((p) => p.needId).reverse());
    expect(Object.keys(all[0]!).sort()).toEqual(
      [
        'answerDeadline',
        'cooperation',
        'field',
        'intendedInvestment',
        'needId',
        'publishedAt',
        'sponsor',
        'title',
      ].sort(),
    );
    expect(Object.keys(all[0]!.sponsor).sort()).toEqual(['industry', 'name', 'region']);
  });

  it('sorts by intended investment, largest first, and narrows by an exact range', async () => {
    const byMoney = await list('sort=investment');
    const amounts = byMoney.map((n) => amountOf(n.intendedInvestment.amount));
    expect(amounts).toEqual([...amounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(byMoney).toHaveLength(posted.length);
    for (const sort of ['investment', 'newest']) {
      const ranged = await list(`sort=${sort}&minInvestment=2000000&maxInvestment=6000000.50`);
      const expected = posted.filter((p) => amountOf(p.amount) >= 200000000n && amountOf(p.amount) <= 600000050n);
      expect(ranged.map((n) => n.needId).sort()).toEqual(expected.map((p) => p.needId).sort());
    }
  });

  it('filters by field and by sponsor region (by name or code; other = outside the Delta)', async () => {
    const ai = await list('field=AI');
    expect(ai.map((n) => n.needId).sort()).toEqual(
      posted
        .filter((p) => p.field === 'AI')
        .map((p) => p.needId)
        .sort(),
    );
    const shanghai = await list(`region=${encodeURIComponent('上海')}`);
    expect(shanghai.map((n) => n.needId).sort()).toEqual(
      posted
        .filter((p) => p.region === 'CN-SH')
        .map((p) => p.needId)
        .sort(),
    );
    expect((await list('region=CN-SH')).length).toBe(shanghai.length);
    const other = await list('region=other&field=BIOMED');
    expect(other.map((n) => n.needId).sort()).toEqual(
      posted
        .filter((p) => p.region === 'CN-GD' && p.field === 'BIOMED')
        .map((p) => p.needId)
        .sort(),
    );
  });

  it('finds needs by a Chinese keyword (no spaces between words) and by an English one, in any case', async () => {
    const lidar = posted
      .filter((p) => p.title.includes('激光雷达'))
      .map((p) => p.needId)
      .sort();
    expect(lidar.length).toBeGreaterThan(1);
    expect((await list(`q=${encodeURIComponent('雷达')}`)).map((n) => n.needId).sort()).toEqual(lidar);
    expect((await list('q=lidar')).map((n) => n.needId).sort()).toEqual(lidar);
    expect((await list(`q=${encodeURIComponent('ＬｉＤＡＲ 激光')}`)).map((n) => n.needId).sort()).toEqual(lidar);
    expect(await list(`q=${encodeURIComponent('量子通信')}`)).toEqual([]);
    expect((await list(`q=${encodeURIComponent('雷达')}&field=IC`)).every((n) => n.field === 'IC')).toBe(true);
  });

  it('pages a keyword search one line at a time in either sort, without skips or repeats; its cursor is its own', async () => {
    const q = `q=${encodeURIComponent('芯片')}`;
    for (const sort of ['newest', 'investment']) {
      const whole = (await s.req('GET', `/competitions/${CAT}/needs?${q}&sort=${sort}&limit=50`)).body.items;
      expect(whole.length).toBeGreaterThan(2);
      const walked = await s.all(`/competitions/${CAT}/needs?${q}&sort=${sort}`, { limit: 1 });
      expect(walked.map((n) => n.needId)).toEqual(whole.map((n: { needId: string }) => n.needId));
      const key = (n: { publishedAt: string; intendedInvestment: { amount: string } }) =>
        sort === 'newest' ? n.publishedAt : Number(n.intendedInvestment.amount);
      for (let i = 1; i < walked.length; i++) expect(key(walked[i - 1]) >= key(walked[i])).toBe(true);
    }
    const cursor = (await s.req('GET', `/competitions/${CAT}/needs?${q}&limit=1`)).body.nextCursor as string;
    for (const elsewhere of [`/competitions/${CAT}/needs?limit=1`, `/competitions/${CAT}/needs?${q}&sort=investment`]) {
      const r = await s.req('GET', `${elsewhere}&cursor=${encodeURIComponent(cursor)}`);
      expect(r.status, elsewhere).toBe(422);
    }
  });

  it('refuses a cursor of another listing or sort, and bad filters, with 422', async () => {
    const first = await s.req('GET', `/competitions/${CAT}/needs?limit=2`);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toBeTruthy();
    const other = await s.req('GET', `/competitions/${CAT}/needs?sort=investment&cursor=${encodeURIComponent(cursor)}`);
    expect(other.status).toBe(422);
    expect(other.body.error.details.issues[0].path).toBe('query.cursor');
    const foreign = await s.req('GET', `/competitions/${CID}/needs?cursor=${encodeURIComponent(cursor)}`);
    expect(foreign.status).toBe(422);
    for (const q of ['region=北京', 'field=SPACE', 'minInvestment=-1', 'sort=oldest', 'limit=51']) {
      expect((await s.req('GET', `/competitions/${CAT}/needs?${q}`)).status, q).toBe(422);
    }
    expect((await s.req('GET', '/competitions/no-such-competition/needs')).status).toBe(404);
  });
});

describe('answers (揭榜) and the sponsor’s shortlist (入围)', () => {
  let needId: string;
  let sponsor: string;
  let other: string;
  let entryId: string;
  let entryToken: string;
  const published = async (n: number, over: Record<string, unknown> = {}) => {
    const r = await post({ ...need(n, over), submit: true });
    await s.req('POST', `/admin/needs/${r.body.need.needId}/decision`, { admin: true, body: { action: 'PUBLISH' } });
    return { needId: r.body.need.needId as string, token: r.body.sponsorToken as string };
  };
  const answer = (org: string, over: Record<string, unknown> = {}) =>
    s.req('POST', `/competitions/${CID}/entries`, {
      body: demoEntry({ applicant: { ...demoEntry().applicant, organizationName: org }, ...over }),
    });

  beforeAll(async () => {
    ({ needId, token: sponsor } = await published(30));
    ({ token: other } = await published(31));
  });

  it('a solver answers a published need with an entry in its field, and sees the part shown only to answerers', async () => {
    const r = await answer('揭榜一号科技有限公司', { trackId: 'ic', needId });
    expect(r.status).toBe(201);
    ({ entryId } = r.body.entry);
    entryToken = r.body.accessToken;
    expect(r.body.entry.needId).toBe(needId);
    const own = await s.req('GET', `/entries/${entryId}`, { token: entryToken });
    expect(own.body.need).toMatchObject({ needId, confidential: { zh: '目标客户与现有工艺数据。' } });
    expect(own.body.need.contact).toBeUndefined();
  });

  it('refuses an answer to a need that is unknown, unpublished, of another field, or closed — and records nothing', async () => {
    const draft = (await post(need(32))).body.need.needId as string;
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ trackId: 'ic', needId: draft }, 422, 'needId'],
      [{ trackId: 'ic', needId: '01J00000000000000000000000' }, 422, 'needId'],
      [{ trackId: 'ai', needId }, 422, 'trackId'],
    ];
    for (const [over, status, path] of cases) {
      const r = await answer(`拒绝${path}${status}`, over);
      expect(r.status, JSON.stringify(over)).toBe(status);
      expect(r.body.error.details.issues[0].path).toBe(path);
    }
    const closing = await published(33, { answerDeadline: new Date(Date.now() + 2500).toISOString() });
    await new Promise((res) => setTimeout(res, 2600));
    const late = await answer('迟到科技有限公司', { trackId: 'ic', needId: closing.needId });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('NEED_CLOSED');
    expect((await s.all(`/needs/${closing.needId}/answers`, { token: closing.token })).length).toBe(0);
    expect((await s.all(`/needs/${needId}/answers`, { token: sponsor })).length).toBe(1);
  });

  it('the sponsor sees the answers to its own need only, shortlists one and declines another with a reason', async () => {
    const second = await answer('揭榜二号科技有限公司', { trackId: 'ic', needId });
    const answers = await s.all(`/needs/${needId}/answers`, { token: sponsor, limit: 1 });
    expect(answers.map((a) => a.entryId).sort()).toEqual([entryId, second.body.entry.entryId].sort());
    expect(answers.find((a) => a.entryId === entryId)).toMatchObject({
      status: 'ANSWERED',
      entry: { title: demoEntry().title, applicant: { organizationName: '揭榜一号科技有限公司' } },
    });
    expect(JSON.stringify(answers)).not.toMatch(/@|accessToken|tokenHash/);
    expect((await s.req('GET', `/needs/${needId}/answers`, { token: other })).status).toBe(404);
    expect((await s.req('GET', `/needs/${needId}/answers`)).status).toBe(401);

    const decide = (id: string, body: unknown, token = sponsor) =>
      s.req('POST', `/needs/${needId}/answers/${id}/decision`, { token, body });
    expect((await decide(entryId, { action: 'DECLINE' })).body.error.details.issues[0].path).toBe('reason');
    expect((await decide(entryId, { action: 'SHORTLIST' }, other)).status).toBe(404);
    const shortlisted = await decide(entryId, { action: 'SHORTLIST' });
    expect(shortlisted.body.answer.status).toBe('SHORTLISTED');
    expect((await decide(entryId, { action: 'SHORTLIST' })).body.answer.history).toHaveLength(1);
    const declined = await decide(second.body.entry.entryId, { action: 'DECLINE', reason: '技术路线与需求不符' });
    expect(declined.body.answer).toMatchObject({ status: 'DECLINED', history: [{ reason: '技术路线与需求不符' }] });
    // An entry that did not answer this need has no answer to decide.
    const unrelated = await answer('无关科技有限公司', { trackId: 'ic' });
    expect((await decide(unrelated.body.entry.entryId, { action: 'SHORTLIST' })).status).toBe(404);
  });
});
