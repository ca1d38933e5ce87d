import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signLink } from '../../shared/links.ts';
import { assignmentIdOf, createAssignments, getAssignment } from '../../functions/store/reviews.ts';
import { expertHomeIdOf } from '../../functions/store/expert-homes.ts';
import { createProject, getProject, projectIdOf } from '../../functions/store/projects.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/**
 * The expert's home, the reviewer page and the project manager's workspace in real headless Chromium (Debian's package, driven by
 * playwright-core): open a link, fill the rubric, submit, see the confirmation;
 * a tampered link shows an error page. `.ci/run` installs Chromium; on a machine
 * without /usr/bin/chromium this file reports itself skipped.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('reviewer page in headless Chromium', () => {
  let s: TestStack;
  let browser: Browser;
  let token: string;
  let homeToken: string;
  let assignmentId: string;
  /** A second review of the same expert (another applicant's entry), left pending to decline from the home. */
  let otherAssignmentId: string;
  /** The workspace link of a funded project whose manager accepted the appointment. */
  let workspaceToken: string;
  let projectId: string;
  /** The anonymized business plan the applicant uploaded (the preliminary round is blind). */
  const plan = Buffer.concat([
    Buffer.from('%PDF-1.4\n% 商业计划书（匿名版）\n'),
    Buffer.alloc(4096, 32),
    Buffer.from('\n%%EOF\n'),
  ]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    s = await startTestStack();
    const config = competitionFixture({ id: 'browser' });
    expect((await s.req('POST', '/admin/competitions', { admin: true, body: config })).status).toBe(201);
    const created = (await s.req('POST', '/competitions/browser/entries', { body: demoEntry() })).body;
    const entry = created.entry;
    const requested = await s.req('POST', `/entries/${entry.entryId}/documents`, {
      token: created.accessToken,
      body: {
        type: 'BUSINESS_PLAN',
        fileName: 'bp.pdf',
        contentType: 'application/pdf',
        size: plan.length,
        blind: true,
      },
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(requested.body.upload.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([plan]), 'bp.pdf');
    expect((await fetch(requested.body.upload.url, { method: 'POST', body: form })).status).toBe(204);
    for (let i = 0; ; i++) {
      const docs = (await s.req('GET', `/entries/${entry.entryId}/documents`, { token: created.accessToken })).body;
      if (docs.documents[0].status === 'CLEAN') break;
      if (i > 150) throw new Error(`the business plan did not become CLEAN: ${JSON.stringify(docs)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const other = (
      await s.req('POST', '/competitions/browser/entries', {
        body: demoEntry({ applicant: { ...demoEntry().applicant, organizationName: '苏州另一家公司' } }),
      })
    ).body.entry;
    await createAssignments(
      'browser',
      'preliminary',
      [entry.entryId, other.entryId].map((entryId) => ({ entryId, trackId: 'ic', expertEmail: 'expert@example.com' })),
      new Date(),
    );
    assignmentId = assignmentIdOf('browser', 'preliminary', entry.entryId, 'expert@example.com');
    otherAssignmentId = assignmentIdOf('browser', 'preliminary', other.entryId, 'expert@example.com');
    const sm = new SecretsManagerClient({
      endpoint: s.sfnEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const key = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: s.model.secrets[0]!.arn }))).SecretString!,
    ).current;
    const round = config.rounds[1] as { reviewClosesAt: string };
    token = signLink(
      { purpose: 'review', subject: assignmentId, version: 1, expiresAt: new Date(round.reviewClosesAt) },
      key,
    );
    // The link the invitation carries: the expert's home in the round.
    homeToken = signLink(
      {
        purpose: 'expert-home',
        subject: expertHomeIdOf('browser', 'preliminary', 'expert@example.com'),
        version: 1,
        expiresAt: new Date(round.reviewClosesAt),
      },
      key,
    );
    // A project the hand-off made ACTIVE (the workflow is tested in award-handoff): its manager's workspace.
    projectId = projectIdOf(entry.entryId);
    const accepted = new Date().toISOString();
    await createProject({
      projectId,
      competitionId: 'browser',
      entryId: entry.entryId,
      trackId: 'ic',
      awardId: 'grand',
      manager: { name: '张三', email: 'zhangsan@example.com' },
      title: '基于存算一体的低功耗 AI 芯片',
      status: 'ACTIVE',
      currency: 'CNY',
      requestedAmount: '5000000.00',
      approvedAmount: '4000000.00',
      disbursed: '0.00',
      terms: { converts: 'DISBURSED', discountPercent: '20' },
      milestones: [
        { milestoneId: 'kickoff', title: '项目启动', trancheAmount: '1200000.00', status: 'PLANNED' },
        { milestoneId: 'prototype', title: '原型验证', trancheAmount: '2800000.00', status: 'PLANNED' },
      ],
      financing: [],
      log: [{ at: accepted, by: 'organizer', event: 'MEETING_APPROVED', detail: 'approved 4000000.00 CNY' }],
      appointment: {
        linkVersion: 1,
        expiresAt: accepted,
        termMonths: 36,
        responsibilities: { zh: '负责项目' },
        answer: { accepted: true, at: accepted },
      },
      version: 1,
    });
    workspaceToken = signLink(
      { purpose: 'project-manager', subject: projectId, version: 1, expiresAt: new Date(Date.now() + 86400_000) },
      key,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('opens the expert’s home: both reviews, progress, documents, and a link to each review page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${s.apiUrl}/experts/${homeToken}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('我的评审');
    await expect(page.locator('.progress').textContent()).resolves.toContain('已提交 0 / 2 项');
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    // The blind round lists the anonymized business plan of the first entry: one document.
    const row = page.locator('tbody tr', { has: page.locator(`a[href="/review/${token}"]`) });
    await expect(row.locator('td').nth(3).textContent()).resolves.toBe('1');
    await expect(page.locator('.status-pending').count()).resolves.toBe(2);
    await row.locator('a', { hasText: '打开评审' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('专家评审');
    await page.close();
  });

  it('opens the link, fills the rubric, submits and shows the confirmation', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    await page.goto(`${s.apiUrl}/review/${token}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('专家评审');
    await page.fill('#s-innovation', '88');
    await page.fill('#s-feasibility', '76');
    await page.fill('#s-market', '70');
    await page.fill('#s-team', '8');
    await page.fill('#comment', '方案完整，建议进入复赛。');
    await page.click('button[value=submit]');
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('评审已提交');
    await expect(page.inputValue('#s-innovation')).resolves.toBe('88');
    mkdirSync('.local', { recursive: true });
    await page.screenshot({ path: '.local/review-page.png', fullPage: true });
    expect(await getAssignment(assignmentId)).toMatchObject({
      status: 'SUBMITTED',
      scores: { innovation: 88, feasibility: 76, market: 70, team: 8 },
    });
    await page.close();
  });

  it('opens the business plan from the page and receives the very bytes the applicant uploaded', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${s.apiUrl}/review/${token}`);
    const link = page.locator('ul.files a');
    await expect(link.count()).resolves.toBe(1);
    await expect(link.textContent()).resolves.toContain('商业计划书');
    // The click goes through our route (303) to the presigned S3 GET. Chromium shows a PDF in its viewer,
    // so the bytes are taken from the network: the request is fetched (following the redirect, as the
    // browser would) and handed to the browser unchanged.
    let received: { status: number; type?: string; body: Buffer } | undefined;
    await context.route(`${s.apiUrl}/review/**/documents/**`, async (route) => {
      const r = await route.fetch();
      received = { status: r.status(), type: r.headers()['content-type'], body: await r.body() };
      await route.fulfill({ response: r });
    });
    await link.click();
    await expect.poll(() => received?.status, { timeout: 10_000 }).toBe(200);
    expect(received!.type).toBe('application/pdf');
    expect(sha(received!.body)).toBe(sha(plan));
    await context.close();
  });

  it('switches to English', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.apiUrl}/review/${token}`);
    await page.click('text=English');
    await expect(page.locator('h1').textContent()).resolves.toBe('Expert review');
    await page.close();
  });

  it('keeps the expert’s language and declines the rest of the round from the home', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${s.apiUrl}/experts/${homeToken}`);
    await expect(page.locator('.progress').textContent()).resolves.toContain('已提交 1 / 2 项');
    await page.click('button[value=en]');
    await expect(page.locator('h1').textContent()).resolves.toBe('My reviews');
    // The choice is stored: the bare link opens in English from now on.
    await page.goto(`${s.apiUrl}/experts/${homeToken}`);
    await expect(page.locator('.progress').textContent()).resolves.toContain('1 of 2 submitted');
    // Declining needs a reason: the page says so and nothing changes.
    await page.click('text=Decline all my pending reviews in this round');
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('reason');
    expect(await getAssignment(otherAssignmentId)).toMatchObject({ status: 'PENDING' });
    await page.fill('#reason', 'Travelling for the whole review period');
    await page.click('text=Decline all my pending reviews in this round');
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('You declined this round');
    await expect(page.locator('.progress').textContent()).resolves.toContain('1 of 1 submitted');
    await expect(page.locator('textarea#reason').count()).resolves.toBe(0);
    mkdirSync('.local', { recursive: true });
    await page.screenshot({ path: '.local/expert-home.png', fullPage: true });
    expect(await getAssignment(otherAssignmentId)).toMatchObject({ status: 'DECLINED', roundDeclined: true });
    expect(await getAssignment(assignmentId)).toMatchObject({ status: 'SUBMITTED' });
    await page.close();
  });

  it('lets the project manager report a milestone from the workspace, and shows what the organizer sees', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${s.apiUrl}/project-manager/${workspaceToken}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('项目工作台');
    await expect(page.locator('li.milestone').count()).resolves.toBe(2);
    await expect(page.locator('#m-kickoff').textContent()).resolves.toContain('1200000.00 CNY');
    // A blank report is refused on the page, and nothing changes.
    await page.locator('#m-kickoff button').click();
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('summary');
    expect((await getProject(projectId))!.milestones[0]!.status).toBe('PLANNED');
    await page.fill('#summary-kickoff', '团队组建完成，设备到位。');
    await page.locator('#m-kickoff button').click();
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('报告已提交');
    await expect(page.locator('#m-kickoff').textContent()).resolves.toContain('报告待验收');
    await expect(page.locator('#m-kickoff form').count()).resolves.toBe(0);
    await page.click('text=English');
    await expect(page.locator('#m-kickoff').textContent()).resolves.toContain('Report under review');
    mkdirSync('.local', { recursive: true });
    await page.screenshot({ path: '.local/project-workspace.png', fullPage: true });
    expect((await getProject(projectId))!.milestones[0]).toMatchObject({
      status: 'REPORTED',
      report: { summary: '团队组建完成，设备到位。', by: 'manager:zhangsan@example.com' },
    });
    await page.close();
  });

  it('shows an error page for a tampered link', async () => {
    const page = await browser.newPage();
    const tampered = `${token.slice(0, -3)}${token.endsWith('abc') ? 'xyz' : 'abc'}`;
    const response = await page.goto(`${s.apiUrl}/review/${tampered}`);
    expect(response?.status()).toBe(404);
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain('链接无效');
    await page.close();
  });
});
