import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signLink } from '../../shared/links.ts';
import { normalizeIdentity } from '../../shared/review/redaction.ts';
import {
  assignmentIdOf,
  createAssignments,
  declareConflict,
  getAssignment,
  getReviewProgress,
  listReviewRevisions,
  submitReview,
} from '../../functions/store/reviews.ts';
import { advanceRound, freezeRound } from '../../functions/store/rounds.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/** The reviewer page over signed links, through the local HTTP API (HTML, forms, redirects). */
let s: TestStack;
let key: string;
const CID = 'review-page';
const config = competitionFixture({ id: CID });
const round = { ...(config.rounds[1] as { reviewClosesAt: string }), commentRequiredOutside: { min: 20, max: 90 } };
let entryId: string;
const ORG = '保密测试科技有限公司';

const link = (assignmentId: string, o: { version?: number; expiresAt?: Date; k?: string } = {}) =>
  signLink(
    {
      purpose: 'review',
      subject: assignmentId,
      version: o.version ?? 1,
      expiresAt: o.expiresAt ?? new Date(round.reviewClosesAt),
    },
    o.k ?? key,
  );
const page = async (token: string, query = '') => {
  const r = await fetch(`${s.apiUrl}/review/${token}${query}`, { redirect: 'manual' });
  return { status: r.status, text: await r.text(), headers: r.headers };
};
const post = async (token: string, form: Record<string, string>) => {
  const r = await fetch(`${s.apiUrl}/review/${token}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: r.status, text: await r.text(), location: r.headers.get('location') };
};
const full = (v: number) => ({
  'score.innovation': String(v),
  'score.feasibility': String(v),
  'score.market': String(v),
  'score.team': String(v),
});

beforeAll(async () => {
  s = await startTestStack();
  expect(
    (
      await s.req('POST', '/admin/competitions', {
        admin: true,
        body: { ...config, rounds: [config.rounds[0], round, config.rounds[2]] },
      })
    ).status,
  ).toBe(201);
  const created = await s.req('POST', `/competitions/${CID}/entries`, {
    body: demoEntry({
      title: '<script>alert(1)</script> 存算一体芯片',
      summary: `${ORG}研发的存算一体架构，由张三负责。`,
      // The organization again, disguised: zero-width joiners inside, in a keyword (blind rounds redact keywords too).
      keywords: ['存算一体', [...ORG].join('\u200d'), 'ZHANG SAN'],
      solution: '联系 zhangsan@example.com 或 138-0013-8000 获取演示。',
      applicant: { ...demoEntry().applicant, organizationName: ORG },
    }),
  });
  entryId = created.body.entry.entryId;
  await createAssignments(
    CID,
    'preliminary',
    ['a@example.com', 'b@example.com', 'c@example.com'].map((expertEmail) => ({ entryId, trackId: 'ic', expertEmail })),
    new Date(),
  );
  const sm = new SecretsManagerClient({
    endpoint: s.sfnEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const secretArn = s.model.secrets[0]!.arn;
  key = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString!).current;
});
afterAll(async () => s?.stop());

const idFor = (email: string) => assignmentIdOf(CID, 'preliminary', entryId, email);

describe('reviewer page', () => {
  it('shows the entry blinded — no applicant identity anywhere in the HTML — with the rubric, and changes nothing', async () => {
    const before = await getAssignment(idFor('a@example.com'));
    const r = await page(link(idFor('a@example.com')));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    for (const secret of [ORG, '张三', 'zhangsan@example.com', '杭州']) expect(r.text).not.toContain(secret);
    expect(normalizeIdentity(r.text)).not.toContain(normalizeIdentity(ORG));
    expect(r.text).not.toContain('138-0013-8000');
    expect(r.text).toContain('存算一体');
    expect(r.text).toContain('■■■研发的存算一体架构');
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.text).not.toContain('<script>');
    expect(r.text).toContain('技术创新性');
    expect(r.text).toContain('权重 40%');
    expect((await page(link(idFor('a@example.com')), '?lang=en')).text).toContain('Technical innovation');
    expect(await getAssignment(idFor('a@example.com'))).toEqual(before);
  });

  it('refuses tampered, foreign-key, expired and superseded links with an error page', async () => {
    const good = link(idFor('a@example.com'));
    const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
    const invalid = await page(tampered);
    expect(invalid.status).toBe(404);
    expect(invalid.text).toContain('链接无效');
    expect((await page(link(idFor('a@example.com'), { k: 'x'.repeat(64) }))).status).toBe(404);
    const expired = await page(link(idFor('a@example.com'), { expiresAt: new Date(Date.now() - 1000) }));
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('已过期');
    expect((await page(link(idFor('a@example.com'), { version: 2 }))).status).toBe(410);
  });

  it('saves a draft, refuses bad scores without storing them, and submits — counted once, edits kept in history', async () => {
    const token = link(idFor('b@example.com'));
    const draft = await post(token, { action: 'draft', 'score.innovation': '70' });
    expect(draft.status).toBe(303);
    expect(draft.location).toContain('saved=saved');
    expect((await page(token, '?saved=saved')).text).toContain('value="70"');

    const bad = await post(token, { action: 'submit', ...full(50), 'score.innovation': '101' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('score.innovation');
    const extreme = await post(token, { action: 'submit', ...full(95) });
    expect(extreme.status).toBe(422);
    expect(extreme.text).toContain('a comment is required');
    expect((await getAssignment(idFor('b@example.com')))!.status).toBe('PENDING');

    const ok = await post(token, { action: 'submit', ...full(80), comment: '技术路线清晰' });
    expect(ok.status).toBe(303);
    expect(ok.location).toContain('saved=submitted');
    await post(token, { action: 'submit', ...full(80), comment: '技术路线清晰' }); // a resubmission of the same form
    await post(token, { action: 'submit', ...full(85), comment: '复核后上调' });
    const a = await getAssignment(idFor('b@example.com'));
    expect(a).toMatchObject({ status: 'SUBMITTED', comment: '复核后上调' });
    expect((await listReviewRevisions(idFor('b@example.com'))).map((x) => x.scores.innovation)).toEqual([80, 85]);
    expect(await getReviewProgress(CID, 'preliminary')).toMatchObject({ expected: 3, received: 1 });
  });

  it('lets an expert declare a conflict; the page then shows it and offers no form', async () => {
    const token = link(idFor('c@example.com'));
    expect((await post(token, { action: 'conflict', conflictReason: '' })).status).toBe(422);
    const r = await post(token, { action: 'conflict', conflictReason: '曾与申报单位合作' });
    expect(r.status).toBe(303);
    const after = await page(token);
    expect(after.text).toContain('已声明回避');
    expect(after.text).not.toContain('<form');
    expect((await getAssignment(idFor('c@example.com')))!.conflictReason).toBe('曾与申报单位合作');
  });

  it('freezes a tallied round: no edit, draft or conflict declaration changes anything, the page says so', async () => {
    const fin = (email: string) => assignmentIdOf(CID, 'final', entryId, email);
    const emails = ['f1@example.com', 'f2@example.com', 'f3@example.com'];
    await createAssignments(
      CID,
      'final',
      emails.map((expertEmail) => ({ entryId, trackId: 'ic', expertEmail })),
      new Date(),
    );
    const submitted = await post(link(fin('f1@example.com')), { action: 'submit', ...full(70), comment: '方案可行' });
    expect(submitted.status).toBe(303);
    // What the tally step does first, then its result.
    await freezeRound(CID, 'final', new Date());
    await advanceRound(CID, 'final', 'REVIEWING', {});
    await advanceRound(CID, 'final', 'TALLIED', { finishedAt: new Date().toISOString() });
    const before = await Promise.all(emails.map((e) => getAssignment(fin(e))));

    const edit = await post(link(fin('f1@example.com')), { action: 'submit', ...full(0), comment: '全部清零' });
    expect(edit.status).toBe(409);
    expect(edit.text).toContain('this round has been tallied');
    const draft = await post(link(fin('f2@example.com')), { action: 'draft', 'score.innovation': '10' });
    expect(draft.status).toBe(409);
    const declined = await post(link(fin('f3@example.com')), { action: 'conflict', conflictReason: '曾与该团队合作' });
    expect(declined.status).toBe(409);
    expect(await Promise.all(emails.map((e) => getAssignment(fin(e))))).toEqual(before);

    const shown = await page(link(fin('f1@example.com')));
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('本轮评审已计分，评审结果已锁定');
    expect(shown.text).not.toContain('<form');

    // A link opened just before the freeze still cannot write: the store refuses atomically.
    await expect(
      submitReview(
        fin('f2@example.com'),
        1,
        { innovation: 1, feasibility: 1, market: 1, team: 1 },
        undefined,
        new Date(),
      ),
    ).rejects.toMatchObject({ code: 'ROUND_FROZEN' });
    await expect(declareConflict(fin('f3@example.com'), 1, '迟到的回避', new Date())).rejects.toMatchObject({
      code: 'ROUND_FROZEN',
    });
    expect(await Promise.all(emails.map((e) => getAssignment(fin(e))))).toEqual(before);
  });
});
