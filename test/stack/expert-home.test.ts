import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoEntry } from '../../infra/local/demo.ts';
import { getAssignment } from '../../functions/store/reviews.ts';
import { expertPool, reviewRoundCompetition } from '../fixtures/competition.ts';
import { deliveredOutbox, homeReviewLinks, type DeliveredMessage } from '../fixtures/mail.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/**
 * The expert's home (`/experts/{token}`) on the local stack: one link per expert and round in the
 * invitation, a page listing their reviews with status and progress, a language that sticks, declining
 * the whole round (backups come from the follow-up step, never the expert who declined), the
 * organizer renewing a link, and foreign or bad input refused without a change.
 */
let s: TestStack;
let assigned: DeliveredMessage[];
const ID = 'eh-round';

const form = (path: string, body: Record<string, string>) =>
  fetch(`${s.apiUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
const page = async (path: string) => {
  const r = await fetch(`${s.apiUrl}${path}`);
  return { status: r.status, html: await r.text() };
};
const submit = (path: string, score: number) =>
  form(path, {
    action: 'submit',
    'score.innovation': String(score),
    'score.feasibility': String(score),
    'score.market': String(score),
    'score.team': String(score),
  });
const outbox = (): Promise<Array<{ kind: string; expertEmail: string; links: Array<{ assignmentId: string }> }>> =>
  s.all(`/admin/competitions/${ID}/rounds/preliminary/outbox`, { admin: true });

beforeAll(async () => {
  s = await startTestStack();
  const experts = expertPool('home', 5, ['IC']);
  expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);
  const names = ['家一', '家二', '家三'];
  const config = reviewRoundCompetition(ID, {
    intakeMs: 1500 + 800 * names.length,
    reviewMs: 10 * 60_000,
    preliminary: { backupReviewers: { minHoursToReview: 0 } },
  });
  expect((await s.req('POST', '/admin/competitions', { admin: true, body: config })).status).toBe(201);
  for (const name of names) {
    const body = demoEntry({ solution: '方案', applicant: { ...demoEntry().applicant, organizationName: name } });
    expect((await s.req('POST', `/competitions/${ID}/entries`, { body })).status).toBe(201);
  }
  const intake = await s.req('POST', `/admin/competitions/${ID}/rounds/intake/start`, { admin: true });
  expect((await s.sfn.waitFor(intake.body.executionArn, 60_000)).status).toBe('SUCCEEDED');
  expect((await s.req('POST', `/admin/competitions/${ID}/rounds/preliminary/start`, { admin: true })).status).toBe(202);
  for (let until = Date.now() + 20_000; ; ) {
    const run = (await s.req('GET', `/admin/competitions/${ID}/rounds/preliminary`, { admin: true })).body.run;
    if (run?.status === 'REVIEWING') break;
    if (Date.now() > until) throw new Error('the round did not start reviewing');
    await new Promise((r) => setTimeout(r, 200));
  }
  assigned = (await deliveredOutbox(s, ID, 'preliminary')).filter((m) => m.kind === 'ASSIGNED');
}, 180_000);
afterAll(async () => s?.stop());

/** The invited experts, most reviews first. */
const byLoad = () => [...assigned].sort((a, b) => b.links.length - a.links.length);

describe('the expert’s home', () => {
  it('is the one link of each invitation, and lists every review of the expert with progress', async () => {
    expect(assigned.map((m) => m.links.length).reduce((a, b) => a + b, 0)).toBe(6);
    for (const m of assigned) {
      const mail = s.mail.list().find((x) => x.messageId === m.messageId)!;
      expect(mail.text.match(/https?:\/\//g)).toHaveLength(1);
      expect(mail.text).toContain(m.home!.url);
      // The home lists exactly the reviews the invitation names, each with its own link.
      const listed = await homeReviewLinks(s, m.home!.path!);
      expect([...listed.keys()].sort()).toEqual(m.links.map((l) => l.assignmentId).sort());
    }
    const busiest = byLoad()[0]!;
    const first = await page(busiest.home!.path!);
    expect(first.status).toBe(200);
    expect(first.html).toContain(`已提交 0 / ${busiest.links.length} 项`);
    expect(first.html.match(/status-pending/g)).toHaveLength(busiest.links.length);
    expect(first.html).toContain('评审截止');
    // Reading changes nothing (mail scanners prefetch links).
    expect((await page(busiest.home!.path!)).html).toBe(first.html);

    await submit(busiest.links[0]!.path!, 80);
    const after = await page(busiest.home!.path!);
    expect(after.html).toContain(`已提交 1 / ${busiest.links.length} 项`);
    expect(after.html).toContain('status-submitted');
  });

  it('keeps the language the expert chooses, and refuses a bad choice without a change', async () => {
    const m = byLoad()[1]!;
    const bad = await form(m.home!.path!, { action: 'language', lang: 'fr' });
    expect(bad.status).toBe(422);
    const missing = await form(m.home!.path!, { action: 'language' });
    expect(missing.status).toBe(422);
    expect((await page(m.home!.path!)).html).toContain('我的评审');
    const set = await form(m.home!.path!, { action: 'language', lang: 'en' });
    expect(set.status).toBe(303);
    expect(set.headers.get('location')).toBe(`${m.home!.path!}?saved=language&lang=en`);
    // Without ?lang= the page now speaks English, and the round's next mails to this expert will too.
    const en = await page(m.home!.path!);
    expect(en.html).toContain('My reviews');
    expect(en.html).toMatch(/\d of \d submitted/);
    // The review pages follow it too.
    expect((await page(m.links[0]!.path!)).html).toContain('Expert review');
  });

  it('declines the whole round: pending reviews go to backups from the follow-up step, never to the decliner', async () => {
    // The second expert (English since the test above) has submitted nothing yet.
    const decliner = byLoad()[1]!;
    const mine = decliner.links.map((l) => l.assignmentId);
    // A decline needs a reason; without one nothing changes.
    const noReason = await form(decliner.home!.path!, { action: 'decline', reason: ' ' });
    expect(noReason.status).toBe(422);
    for (const id of mine) expect((await getAssignment(id))!.status).toBe('PENDING');

    const declined = await form(decliner.home!.path!, { action: 'decline', reason: '本轮出差，无法评审' });
    expect(declined.status).toBe(303);
    for (const id of mine) expect(await getAssignment(id)).toMatchObject({ status: 'DECLINED', roundDeclined: true });
    const home = await page(`${decliner.home!.path!}?lang=zh`);
    expect(home.html).toContain('婉拒本轮评审，尚未提交的评审已转交候补专家');
    expect(home.html).not.toContain('name="reason"');
    expect(home.html.match(/status-declined/g)).toHaveLength(mine.length);
    // Sent again (a retry): nothing more changes.
    expect((await form(decliner.home!.path!, { action: 'decline', reason: '再次提交' })).status).toBe(303);

    // Everyone else submits what is pending; the round's count completes and the follow-up adds backups.
    for (const m of assigned.filter((x) => x !== decliner))
      for (const l of m.links)
        if ((await getAssignment(l.assignmentId))!.status === 'PENDING')
          expect((await submit(l.path!, 70)).status).toBe(303);
    await expect
      .poll(async () => (await outbox()).filter((m) => m.kind === 'ADDED').length, { timeout: 20_000 })
      .toBe(mine.length);
    const added = (await outbox()).filter((m) => m.kind === 'ADDED');
    expect(added.map((m) => m.expertEmail)).not.toContain(decliner.expertEmail);
    for (const m of added) {
      const backup = (await getAssignment(m.links[0]!.assignmentId))!;
      expect(mine).toContain(backup.replaces);
    }
    // The backup's mail carries their home, which now lists the added review.
    const delivered = (await deliveredOutbox(s, ID, 'preliminary')).filter((m) => m.kind === 'ADDED');
    for (const m of delivered) {
      expect(m.home?.path).toMatch(/^\/experts\//);
      expect(m.links[0]!.path).toMatch(/^\/review\//);
    }
  });

  it('refuses foreign, tampered and renewed links, and the organizer can renew one', async () => {
    const m = byLoad()[0]!;
    const reviewToken = m.links[0]!.path!.split('/').pop()!;
    const homeToken = m.home!.path!.split('/').pop()!;
    expect((await page(`/experts/${reviewToken}`)).status).toBe(404); // a review link is not a home link
    expect((await page(`/review/${homeToken}`)).status).toBe(404); // nor the other way round
    expect((await page(`/experts/${homeToken.slice(0, -3)}AAA`)).status).toBe(404);
    expect((await form(`/experts/${reviewToken}`, { action: 'language', lang: 'en' })).status).toBe(404);

    const renew = (expertEmail: string, key: string) =>
      s.req('POST', `/admin/competitions/${ID}/rounds/preliminary/expert-links`, {
        admin: true,
        body: { expertEmail },
        headers: { 'idempotency-key': key },
      });
    expect((await renew('not-an-email', 'renew-bad-0001')).status).toBe(422);
    expect((await renew('nobody@example.com', 'renew-none-0001')).status).toBe(404);
    // Matched however the address is written.
    const renewed = await renew(m.expertEmail.toUpperCase(), 'renew-home-0001');
    expect(renewed.status).toBe(202);
    expect(renewed.body).toMatchObject({ linkVersion: 2, sentTo: m.expertEmail });
    // A retry with the same key answers the same, and bumps nothing.
    expect((await renew(m.expertEmail.toUpperCase(), 'renew-home-0001')).body).toEqual(renewed.body);
    expect((await page(m.home!.path!)).status).toBe(410);
    // The review links the old home listed stop working too.
    for (const l of m.links) expect((await page(l.path!)).status).toBe(410);
    const mailed = (await deliveredOutbox(s, ID, 'preliminary')).filter((x) => x.kind === 'EXPERT_HOME_LINK');
    expect(mailed).toHaveLength(1);
    expect(mailed[0]!.home).toMatchObject({ version: 2 });
    expect((await page(mailed[0]!.home!.path!)).status).toBe(200);
    // …and the new home lists working ones.
    const listed = await homeReviewLinks(s, mailed[0]!.home!.path!);
    expect(listed.size).toBe(m.links.length);
    for (const path of listed.values()) expect((await page(path)).status).toBe(200);
  });
});
