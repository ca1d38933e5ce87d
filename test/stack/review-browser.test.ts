import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signLink } from '../../shared/links.ts';
import { assignmentIdOf, createAssignments, getAssignment } from '../../functions/store/reviews.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/**
 * The reviewer page in real headless Chromium (Debian's package, driven by
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
  let assignmentId: string;

  beforeAll(async () => {
    s = await startTestStack();
    const config = competitionFixture({ id: 'browser' });
    expect((await s.req('POST', '/admin/competitions', { admin: true, body: config })).status).toBe(201);
    const entry = (await s.req('POST', '/competitions/browser/entries', { body: demoEntry() })).body.entry;
    await createAssignments(
      'browser',
      'preliminary',
      [{ entryId: entry.entryId, trackId: 'ic', expertEmail: 'expert@example.com' }],
      new Date(),
    );
    assignmentId = assignmentIdOf('browser', 'preliminary', entry.entryId, 'expert@example.com');
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

  it('switches to English', async () => {
    const page = await browser.newPage();
    await page.goto(`${s.apiUrl}/review/${token}`);
    await page.click('text=English');
    await expect(page.locator('h1').textContent()).resolves.toBe('Expert review');
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
