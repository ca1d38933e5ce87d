import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../function.ts';
import { DEMO_COMPETITION_ID, demoCompetition, demoEntry } from './demo.ts';
import { startLocalStack } from './stack.ts';

/**
 * `npm run screenshot:watch` → docs/watch.png, the README's picture of `npm run admin -- watch`: an
 * in-memory local stack, the demo competition run through intake and part of its preliminary round,
 * the real CLI in a pseudo-terminal (`script`), its output drawn by xterm.js in headless Chromium.
 * Needs /usr/bin/chromium and, for the Chinese labels, fonts-noto-cjk.
 */
// biome-ignore lint/suspicious/noExplicitAny: the script reads fields of the API's answers ad hoc.
type Json = Record<string, any>;
const OUT = path.join(REPO_ROOT, 'docs', 'watch.png');
const COLUMNS = 118;
const ROWS = 17;

const main = async () => {
  const adminKey = randomBytes(18).toString('base64url');
  const stack = await startLocalStack({ adminKey });
  try {
    const call = async (method: string, p: string, body?: unknown, status = 200) => {
      const r = await fetch(`${stack.apiUrl}${p}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-admin-key': adminKey },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (r.status !== status) throw new Error(`${method} ${p} → ${r.status} ${await r.text()}`);
      return (await r.json()) as Json;
    };
    const experts = Array.from({ length: 12 }, (_, k) => ({
      email: `expert${k}@example.org`,
      name: `专家${k}`,
      institution: `研究院${k}`,
      fields: ['IC', 'AI'],
      languages: ['zh'],
      maxLoadPerRound: 30,
    }));
    await call('POST', '/admin/experts', { experts });
    const now = Date.now();
    const deadline = now + 25_000;
    const base = demoCompetition(now);
    const iso = (t: number) => new Date(t).toISOString();
    const competition = {
      ...base,
      eligibility: { ...base.eligibility, requiredDocuments: [] },
      rounds: base.rounds.map((r: Record<string, unknown>, k: number) =>
        k === 0
          ? { ...r, submissionDeadline: iso(deadline) }
          : k === 1
            ? {
                ...r,
                reviewOpensAt: iso(deadline + 1000),
                reviewClosesAt: iso(deadline + 3600_000),
                reviewersPerEntry: 3,
              }
            : r,
      ),
    };
    await call('POST', '/admin/competitions', competition, 201);
    const plan = [
      ...Array.from({ length: 7 }, (_, k) => ({ trackId: 'ic', submit: k < 6 })),
      ...Array.from({ length: 5 }, (_, k) => ({ trackId: 'ai', submit: k < 4 })),
    ];
    let last: { entryId: string; token: string } | undefined;
    for (const [k, e] of plan.entries()) {
      const body = demoEntry({ ...e, applicant: { ...demoEntry().applicant, organizationName: `示例单位${k}` } });
      const r = await fetch(`${stack.apiUrl}/competitions/${DEMO_COMPETITION_ID}/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await r.json()) as { entry: { entryId: string }; accessToken: string };
      if (r.status !== 201) throw new Error(`entry ${k}: ${r.status} ${JSON.stringify(json)}`);
      if (e.submit) last = { entryId: json.entry.entryId, token: json.accessToken };
    }
    await fetch(`${stack.apiUrl}/entries/${last!.entryId}/withdraw`, {
      method: 'POST',
      headers: { authorization: `Bearer ${last!.token}` },
    });
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() + 500)));
    const intake = await call('POST', `/admin/competitions/${DEMO_COMPETITION_ID}/rounds/intake/start`, undefined, 202);
    await stack.sfn.waitFor(intake.executionArn, 60_000);
    await call('POST', `/admin/competitions/${DEMO_COMPETITION_ID}/rounds/preliminary/start`, undefined, 202);
    for (let until = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const round = await call('GET', `/admin/competitions/${DEMO_COMPETITION_ID}/rounds/preliminary`);
      if (round.run.status === 'REVIEWING') break;
      if (Date.now() > until) throw new Error('the preliminary round did not start reviewing');
    }
    // Once the experts' mail is out, about two thirds of the reviews come in through the reviewer page.
    for (let until = Date.now() + 30_000; ; await new Promise((r) => setTimeout(r, 200))) {
      const outbox = await call('GET', `/admin/competitions/${DEMO_COMPETITION_ID}/rounds/preliminary/outbox?limit=50`);
      if ((outbox.items as Array<{ deliveredAt?: string }>).every((m) => m.deliveredAt)) break;
      if (Date.now() > until) throw new Error('the experts were not mailed');
    }
    const links = stack.mail.list().flatMap((m) => m.text.match(/\/review\/[^\s"<>]+/g) ?? []);
    for (const p of links.slice(0, Math.ceil((links.length * 2) / 3))) {
      await fetch(`${stack.apiUrl}${p}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          action: 'submit',
          'score.innovation': '82',
          'score.feasibility': '78',
          'score.market': '75',
          'score.team': '80',
        }).toString(),
      });
    }

    // The real CLI in a pseudo-terminal, for a few refreshes.
    const output = await new Promise<string>((resolve) => {
      let text = '';
      const child = spawn(
        'script',
        ['-qfc', `npx tsx infra/local/admin-cli.ts watch ${DEMO_COMPETITION_ID} --interval 1`, '/dev/null'],
        {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            API_URL: stack.apiUrl,
            ADMIN_KEY: adminKey,
            COLUMNS: String(COLUMNS),
            LINES: String(ROWS),
            TERM: 'xterm-256color',
          },
        },
      );
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
      });
      setTimeout(() => {
        child.kill('SIGINT');
        setTimeout(() => resolve(text), 500);
      }, 6000);
    });

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 480 } });
      const xterm = path.join(REPO_ROOT, 'node_modules', '@xterm', 'xterm');
      await page.setContent(`<!doctype html><meta charset="utf-8">
<style>${readFileSync(path.join(xterm, 'css', 'xterm.css'), 'utf8')} body{margin:0;background:#1e1e1e} #t{padding:10px}</style>
<div id="t"></div><script>${readFileSync(path.join(xterm, 'lib', 'xterm.js'), 'utf8')}</script>`);
      // Runs in the page (a string: this project compiles without the DOM's types).
      await page.evaluate(`new Promise((resolve) => {
        const term = new Terminal({ cols: ${COLUMNS}, rows: ${ROWS}, fontFamily: 'monospace', fontSize: 14,
          lineHeight: 1.15, convertEol: true });
        term.open(document.getElementById('t'));
        term.write(${JSON.stringify(output)}, resolve);
      })`);
      mkdirSync(path.dirname(OUT), { recursive: true });
      await (await page.$('#t'))!.screenshot({ path: OUT });
      console.log(`wrote ${path.relative(REPO_ROOT, OUT)}`);
    } finally {
      await browser.close();
    }
  } finally {
    await stack.stop();
  }
};

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
