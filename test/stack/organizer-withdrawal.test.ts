import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/** Organizers withdraw or disqualify an entry with a reason: the slot is freed, the record keeps why. */
let s: TestStack;
const CID = 'withdrawals';
const APPLICANT = {
  ...demoEntry().applicant,
  organizationName: '被冒名科技有限公司',
  creditCode: '91350100M000100Y43',
};

beforeAll(async () => {
  s = await startTestStack();
  expect(
    (await s.req('POST', '/admin/competitions', { admin: true, body: competitionFixture({ id: CID }) })).status,
  ).toBe(201);
});
afterAll(async () => s?.stop());

describe('organizer withdrawal and disqualification', () => {
  it('frees the organization’s slot taken by someone else, with who, when and why on the entry and the audit record', async () => {
    const squatter = await s.req('POST', `/competitions/${CID}/entries`, { body: demoEntry({ applicant: APPLICANT }) });
    expect(squatter.status).toBe(201);
    const real = await s.req('POST', `/competitions/${CID}/entries`, { body: demoEntry({ applicant: APPLICANT }) });
    expect(real.status).toBe(409);
    expect(real.body.error.code).toBe('ENTRY_LIMIT_REACHED');

    const path = `/admin/entries/${squatter.body.entry.entryId}/withdrawal`;
    const bad = await s.req('POST', path, { admin: true, body: { kind: 'DISQUALIFIED' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['reason']);
    const unchanged = await s.req('GET', `/entries/${squatter.body.entry.entryId}`, {
      token: squatter.body.accessToken,
    });
    expect(unchanged.body.entry.status).toBe('SUBMITTED');

    const reason = '冒用他人统一社会信用代码，经核实非该单位提交';
    const done = await s.req('POST', path, { admin: true, body: { kind: 'DISQUALIFIED', reason } });
    expect(done.status).toBe(200);
    expect(done.body.entry).toMatchObject({ status: 'WITHDRAWN', withdrawal: { kind: 'DISQUALIFIED', reason } });
    expect(done.body.entry.withdrawal.by).toMatch(/admin/i);
    // The same request again changes nothing; another reason is a conflict.
    expect((await s.req('POST', path, { admin: true, body: { kind: 'DISQUALIFIED', reason } })).status).toBe(200);
    expect((await s.req('POST', path, { admin: true, body: { kind: 'WITHDRAWN', reason: '另一个理由' } })).status).toBe(
      409,
    );

    const retry = await s.req('POST', `/competitions/${CID}/entries`, { body: demoEntry({ applicant: APPLICANT }) });
    expect(retry.status).toBe(201);

    const audit = (await s.req('GET', `/admin/competitions/${CID}/audit`, { admin: true })).body;
    expect(audit).toMatchObject({ ok: true, byType: { ENTRY_SUBMITTED: 2, ENTRY_WITHDRAWN: 1 } });
  });
});
