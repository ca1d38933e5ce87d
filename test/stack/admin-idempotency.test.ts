import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, getProject, type ProjectRecord } from '../../functions/store/projects.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/** Mutating organizer routes honour Idempotency-Key: a retried request changes nothing twice. */
let s: TestStack;
const PROJECT_ID = 'PRJ-01J0000000000000000000ABCD';

const project = (): ProjectRecord => ({
  projectId: PROJECT_ID,
  competitionId: 'idem',
  entryId: '01J0000000000000000000ABCD',
  trackId: 'ic',
  awardId: 'first',
  manager: { name: '张三', email: 'zhangsan@example.com' },
  title: '存算一体芯片',
  status: 'ACTIVE',
  currency: 'CNY',
  requestedAmount: '5000000.00',
  approvedAmount: '5000000.00',
  disbursed: '0.00',
  terms: { converts: 'COMMITMENT', discountPercent: '20' },
  milestones: [{ milestoneId: 'prototype', title: '原型', trancheAmount: '5000000.00', status: 'PLANNED' }],
  financing: [],
  log: [],
  appointment: {
    linkVersion: 1,
    expiresAt: '2030-01-01T00:00:00.000Z',
    termMonths: 24,
    responsibilities: { zh: '负责' },
  },
  version: 1,
});

// Too small to qualify for conversion, so the project stays ACTIVE and another round could be recorded.
const financing = (size: string) => ({
  type: 'FINANCING_RECORDED',
  investor: '某创投基金',
  round: { roundSize: size, pricePerShare: '10', fullyDilutedShares: '1000000' },
});

beforeAll(async () => {
  s = await startTestStack();
  await createProject({ ...project(), terms: { ...project().terms, qualifyingRoundSize: '100000000.00' } });
});
afterAll(async () => s?.stop());

describe('Idempotency-Key on organizer routes', () => {
  it('a retried financing event is recorded once; the retry gets the first answer', async () => {
    const headers = { 'idempotency-key': 'financing-2026-10-01-a' };
    const path = `/admin/projects/${PROJECT_ID}/events`;
    const first = await s.req('POST', path, { admin: true, headers, body: financing('3000000.00') });
    expect(first.status).toBe(200);
    const again = await s.req('POST', path, { admin: true, headers, body: financing('3000000.00') });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const stored = await getProject(PROJECT_ID);
    expect(stored!.financing).toHaveLength(1);

    const reused = await s.req('POST', path, { admin: true, headers, body: financing('9000000.00') });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await getProject(PROJECT_ID))!.financing).toHaveLength(1);

    // Without a key (or with a new one) a second round is a second event, as asked.
    const other = await s.req('POST', path, {
      admin: true,
      headers: { 'idempotency-key': 'financing-2026-11-01-b' },
      body: financing('9000000.00'),
    });
    expect(other.status).toBe(200);
    expect((await getProject(PROJECT_ID))!.financing).toHaveLength(2);
  });

  it('a failed attempt releases the key: the corrected state lets the same request run', async () => {
    const headers = { 'idempotency-key': 'milestone-accept-0001' };
    const path = `/admin/projects/${PROJECT_ID}/events`;
    const accept = { type: 'MILESTONE_ACCEPTED', milestoneId: 'prototype' };
    const refused = await s.req('POST', path, { admin: true, headers, body: accept });
    expect(refused.status).toBe(409); // not reported yet
    const report = await s.req('POST', path, {
      admin: true,
      body: { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: '原型完成' },
    });
    expect(report.status).toBe(200);
    const retried = await s.req('POST', path, { admin: true, headers, body: accept });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a route that otherwise only reads claims and releases its key (its role may write IDEM# and nothing else)', async () => {
    const created = await s.req('POST', '/admin/competitions', {
      admin: true,
      body: competitionFixture({ id: 'idem-awards' }),
    });
    expect(created.status).toBe(201);
    const headers = { 'idempotency-key': 'awards-start-0001' };
    const path = '/admin/competitions/idem-awards/awards/start';
    for (let attempt = 0; attempt < 2; attempt++) {
      const r = await s.req('POST', path, { admin: true, headers });
      expect(r.status).toBe(409); // the final is not tallied; the key was released, so the retry runs again
      expect(r.body.error.code).toBe('FINAL_ROUND_NOT_TALLIED');
      expect(r.headers.get('idempotent-replayed')).toBeNull();
    }
  });

  it('a malformed key is a 422 and runs nothing', async () => {
    const before = await getProject(PROJECT_ID);
    const r = await s.req('POST', `/admin/projects/${PROJECT_ID}/events`, {
      admin: true,
      headers: { 'idempotency-key': 'short' },
      body: financing('1000.00'),
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details.issues[0].path).toBe('header.idempotency-key');
    expect(await getProject(PROJECT_ID)).toEqual(before);
  });
});
