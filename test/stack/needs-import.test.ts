import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEED_CSV_COLUMNS } from '../../shared/needs-import.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { postForm } from '../fixtures/documents.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { needBody } from '../fixtures/needs.ts';
import { deliveredOutbox } from '../fixtures/mail.ts';
import { demoEntry } from '../../infra/local/demo.ts';

/**
 * Needs collected offline, imported from one CSV through S3 (`POST /admin/imports` with kind NEEDS):
 * validated all-or-nothing against the schema and the competition, with row/column paths; applied in
 * chunks with the job's progress and an audit record each.
 */
let s: TestStack;
const CID = 'needs-import';

const HEADER = Object.keys(NEED_CSV_COLUMNS);
/** One CSV line for company n's need (quoted cells, as a spreadsheet writes them). */
const line = (n: number, over: Partial<Record<keyof typeof NEED_CSV_COLUMNS, string>> = {}) => {
  const b = needBody(n);
  const cells: Record<keyof typeof NEED_CSV_COLUMNS, string> = {
    sponsor_name: b.sponsor.name,
    sponsor_credit_code: b.sponsor.creditCode,
    sponsor_region: n % 2 ? 'CN-JS' : 'CN-SH',
    sponsor_industry: b.sponsor.industry,
    contact_name: b.contact.name,
    contact_email: b.contact.email,
    contact_phone: b.contact.phone,
    title_zh: `线下征集需求 ${n}，含逗号`,
    title_en: `Offline need ${n}`,
    description_zh: b.description.zh,
    description_en: b.description.en,
    confidential_zh: '样品数据',
    confidential_en: '',
    field: 'IC',
    indicators: '能效|≥ 10|TOPS/W; 良率|≥ 99%',
    intended_investment_cny: '1500000.50',
    cooperation: 'TECH_DEVELOPMENT;JOINT_RESEARCH',
    answer_deadline: b.answerDeadline,
    ...over,
  };
  return HEADER.map((h) => `"${cells[h as keyof typeof cells].replace(/"/g, '""')}"`).join(',');
};
const csv = (lines: string[], header = HEADER) => `\uFEFF${header.join(',')}\r\n${lines.join('\r\n')}\r\n`;

const importNeeds = async (file: string, body: Record<string, unknown> = {}) => {
  const r = await s.req('POST', '/admin/imports', {
    admin: true,
    body: { kind: 'NEEDS', competitionId: CID, contentType: 'text/csv', fileName: 'needs.csv', ...body },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect((await postForm(r.body.upload, Buffer.from(file))).status).toBe(204);
  const id = r.body.import.importId as string;
  let job: Record<string, any> = {};
  for (let k = 0; k < 600 && !job.done; k++) {
    job = (await s.req('GET', `/admin/imports/${id}`, { admin: true })).body.import;
    if (!job.done) await new Promise((res) => setTimeout(res, 100));
  }
  return job;
};
const count = async (status: string) => (await s.all(`/admin/competitions/${CID}/needs?status=${status}`)).length;

beforeAll(async () => {
  s = await startTestStack();
  const r = await s.req('POST', '/admin/competitions', { admin: true, body: competitionFixture({ id: CID }) });
  expect(r.status).toBe(201);
}, 120_000);
afterAll(async () => s?.stop());

describe('importing needs from CSV', () => {
  it('imports 120 needs in chunks into the vetting queue, exactly once, each naming its import', async () => {
    const job = await importNeeds(csv(Array.from({ length: 120 }, (_, i) => line(i + 1))));
    expect(job).toMatchObject({
      status: 'DONE',
      kind: 'NEEDS',
      competitionId: CID,
      rows: 120,
      appliedRows: 120,
      created: 120,
    });
    const queue = await s.all(`/admin/competitions/${CID}/needs?status=SUBMITTED`);
    expect(queue).toHaveLength(120);
    const one = queue.find((n) => n.title.zh === '线下征集需求 7，含逗号');
    expect(one).toMatchObject({
      indicators: [
        { name: '能效', target: '≥ 10', unit: 'TOPS/W' },
        { name: '良率', target: '≥ 99%' },
      ],
      intendedInvestment: { amount: '1500000.50', currency: 'CNY' },
      cooperation: ['TECH_DEVELOPMENT', 'JOINT_RESEARCH'],
      confidential: { zh: '样品数据' },
    });
    expect(one.history[0]).toMatchObject({ by: 'ORGANIZER', action: 'CREATED' });
    expect(one.history[0].reason).toContain(job.importId);
    // A redelivered event changes nothing.
    const fn = s.model.functions.find((f) => f.logicalId.startsWith('ImportUploaded'))!;
    await s.lambdas.invoke(fn.logicalId, {
      'detail-type': 'Object Created',
      detail: { object: { key: `imports/${job.importId}` } },
    });
    expect(await count('SUBMITTED')).toBe(120);
  });

  it('publishes at once what the organizer vetted offline (publish: true): the catalogue shows it', async () => {
    const job = await importNeeds(csv([line(501, { title_zh: '已凝练需求：晶圆键合设备' })]), { publish: true });
    expect(job).toMatchObject({ status: 'DONE', created: 1 });
    const found = await s.req('GET', `/competitions/${CID}/needs?q=${encodeURIComponent('晶圆键合')}`);
    expect(found.body.items.map((n: { title: { zh: string } }) => n.title.zh)).toEqual(['已凝练需求：晶圆键合设备']);
  });

  it('mails each imported need’s sponsor a signed link to its page, where it reads and shortlists answers', async () => {
    const links = async () => (await deliveredOutbox(s, CID, 'needs')).filter((m) => m.kind === 'NEED_SPONSOR_LINK');
    const mailed = (await links()).find((m) => m.expertEmail === 'wang501@example.com')!;
    expect(mailed.links[0]).toMatchObject({ purpose: 'need-sponsor', version: 1 });
    const url = mailed.links[0]!.url!;
    const needId = mailed.links[0]!.assignmentId;
    expect((await fetch(url).then((r) => r.text())).includes('已凝练需求：晶圆键合设备')).toBe(true);

    // A solver answers the published need; the sponsor sees it on its page and shortlists it there.
    const entry = await s.req('POST', `/competitions/${CID}/entries`, {
      body: demoEntry({ needId, applicant: { ...demoEntry().applicant, organizationName: '键合科技有限公司' } }),
    });
    expect(entry.status).toBe(201);
    const page = await fetch(url).then((r) => r.text());
    expect(page).toContain(demoEntry().title);
    expect(page).toContain('键合科技有限公司');
    expect(page).not.toMatch(/zhangsan@example\.com/); // no solver contact
    const form = new URLSearchParams({ entryId: entry.body.entry.entryId, action: 'shortlist' });
    const posted = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(posted.status).toBe(303);
    expect(await fetch(`${url}?saved=1`).then((r) => r.text())).toContain('已入围');
    const noReason = new URLSearchParams({ entryId: entry.body.entry.entryId, action: 'decline' });
    const refused = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: noReason.toString(),
    });
    expect(refused.status).toBe(422);

    // On the page, the shortlisted answer has a meeting form (对接); sent twice, it proposes one meeting.
    const shown = await fetch(url).then((r) => r.text());
    expect(shown).toContain('提议对接会');
    const meetingId = /name="meetingId" value="([0-9A-Z]{26})"/.exec(shown)?.[1];
    expect(meetingId).toBeDefined();
    const when = new Date(Date.now() + 3 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 16); // Beijing time
    // The page's forms, posted as a browser does (no redirect followed).
    const postForm = (fields: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ entryId: entry.body.entry.entryId, meetingId: meetingId!, ...fields }).toString(),
      });
    const meetingForm = (fields: Record<string, string>) =>
      postForm({
        action: 'meeting',
        startsAt: when,
        durationMinutes: '90',
        format: 'ONLINE',
        link: 'https://meet.example.com/j/42',
        attendees: '王工，李工',
        agenda: '方案演示与答疑',
        ...fields,
      });
    const badTime = await meetingForm({ startsAt: 'tomorrow', link: 'http://insecure.example.com' });
    expect(badTime.status).toBe(422);
    expect(
      ((await badTime.json()) as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues
        .map((i) => i.path)
        .sort(),
    ).toEqual(['link', 'startsAt']);
    expect((await meetingForm({})).status).toBe(303);
    expect((await meetingForm({})).status).toBe(303);
    const solverMeetings = await s.req('GET', `/entries/${entry.body.entry.entryId}/meetings`, {
      token: entry.body.accessToken,
    });
    expect(solverMeetings.status).toBe(200);
    expect(solverMeetings.body.meetings).toEqual([
      expect.objectContaining({
        meetingId,
        startsAt: new Date(`${when}:00+08:00`).toISOString(),
        durationMinutes: 90,
        format: 'ONLINE',
        status: 'PROPOSED',
        attendees: [
          { name: '王工', side: 'SPONSOR' },
          { name: '李工', side: 'SPONSOR' },
        ],
      }),
    ]);
    expect(await fetch(url).then((r) => r.text())).toContain('待对方答复');
    // The sponsor records how it went from the page too: a cancellation needs its notes.
    const outcome = (fields: Record<string, string>) => postForm({ action: 'outcome', ...fields });
    const noNotes = await outcome({ outcome: 'CANCELLED' });
    expect(noNotes.status).toBe(422);
    expect(
      (await s.req('GET', `/entries/${entry.body.entry.entryId}/meetings`, { token: entry.body.accessToken })).body
        .meetings[0].status,
    ).toBe('PROPOSED');
    expect((await outcome({ outcome: 'CANCELLED', notes: '时间冲突，另约' })).status).toBe(303);
    const after = await s.req('GET', `/entries/${entry.body.entry.entryId}/meetings`, {
      token: entry.body.accessToken,
    });
    expect(after.body.meetings[0]).toMatchObject({ status: 'CANCELLED' });
    expect(await fetch(url).then((r) => r.text())).toContain('已取消');

    // The organizer sends a new link: the old one stops working (410), the new one opens.
    const resent = await s.req('POST', `/admin/needs/${needId}/sponsor-link`, { admin: true });
    expect(resent.status).toBe(202);
    expect(resent.body).toMatchObject({ linkVersion: 2, sentTo: 'wang501@example.com' });
    expect((await fetch(url)).status).toBe(410);
    const fresh = (await links()).find((m) => m.links[0]!.version === 2)!;
    expect((await fetch(fresh.links[0]!.url!)).status).toBe(200);
    expect((await fetch(`${url.slice(0, -4)}AAAA`)).status).toBe(404); // a forged link
  });

  it('refuses the whole file for any bad row — schema or competition — with row and column paths', async () => {
    const before = await count('SUBMITTED');
    const late = new Date(Date.now() + 60 * 86400_000).toISOString();
    const job = await importNeeds(
      csv([
        line(601),
        line(602, { intended_investment_cny: '1,500,000' }),
        line(603, { field: 'NEW_ENERGY' }),
        line(604, { answer_deadline: late }),
        line(601),
        line(605, { indicators: '能效' }),
        line(606, { sponsor_credit_code: '91310000MA1000001X', contact_email: 'nope' }),
      ]),
    );
    expect(job.status).toBe('REJECTED');
    expect(job.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      [
        'rows.3.intended_investment_cny',
        'rows.4.field',
        'rows.6',
        'rows.7.indicators',
        'rows.8.sponsor_credit_code',
        'rows.8.contact_email',
        'rows.5.answer_deadline',
      ].sort(),
    );
    expect(await count('SUBMITTED')).toBe(before);
    const header = await importNeeds(
      csv(
        [line(701)],
        HEADER.filter((h) => h !== 'sponsor_name'),
      ),
    );
    expect(header.issues).toEqual([expect.objectContaining({ path: 'header.sponsor_name' })]);
  });

  it('refuses a bad request up front: competition missing or unknown, not CSV', async () => {
    const ask = (body: Record<string, unknown>) => s.req('POST', '/admin/imports', { admin: true, body });
    const missing = await ask({ kind: 'NEEDS', contentType: 'text/csv' });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['competitionId']);
    const json = await ask({ kind: 'NEEDS', competitionId: CID, contentType: 'application/json' });
    expect(json.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['contentType']);
    expect((await ask({ kind: 'NEEDS', competitionId: 'no-such-thing', contentType: 'text/csv' })).status).toBe(404);
    const experts = await ask({ kind: 'EXPERTS', competitionId: CID, contentType: 'text/csv' });
    expect(experts.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['competitionId']);
  });
});
