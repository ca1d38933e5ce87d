import { execFileSync } from 'node:child_process';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { routeList } from '../../functions/routes.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { competitionFixture } from '../fixtures/competition.ts';

/**
 * One whole competition driven through the HTTP API of the local stack, as organizers, applicants
 * and experts would drive it: entries, a bulk expert import, screening, a blind preliminary round
 * with REVIEWS reviews per entry (every review posted through its signed link's page), a final,
 * awards approved and published. Prints each phase's time, requests and p50/p99, the largest
 * response of each route (against Lambda's 6 MB), the largest item in the table (against
 * DynamoDB's 400 KB) and the peak memory of the stack.
 *
 *   npm run bench -- --full        (FULL_ENTRIES=10000 FULL_EXPERTS=2000 FULL_REVIEWS=5 by default)
 */
const ENTRIES = Number(process.env.FULL_ENTRIES ?? 10_000);
const EXPERTS = Number(process.env.FULL_EXPERTS ?? 2_000);
const REVIEWS = Number(process.env.FULL_REVIEWS ?? 5);
const CONCURRENCY = Number(process.env.FULL_CONCURRENCY ?? 16);
const ADMIN_KEY = 'bench-full';
const CID = 'bench-full';
const TRACKS = ['ic', 'ai'];
/**
 * Keywords spread over entries and experts so affinities differ as in a real pool: a pool of identical
 * experts (every pair a tie) is the exact solver's worst case — 2,000 × 1,000 took 33 s instead of 1.2 s.
 */
const VOCABULARY = [
  '芯片',
  '算法',
  '封装',
  '光刻',
  '存算',
  '大模型',
  '推理',
  '传感',
  '射频',
  '功率',
  '材料',
  '电池',
  '机器人',
];
const keywords = (k: number, seed: number) =>
  Array.from({ length: k }, (_, t) => VOCABULARY[(seed * 7 + t * 5) % VOCABULARY.length]!);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

// --- measurement ---------------------------------------------------------------------------------
const routes = routeList().map((r) => ({
  key: `${r.method} ${r.path}`,
  method: r.method,
  pattern: new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
}));
const largest = new Map<string, number>();
interface Phase {
  name: string;
  started: number;
  latencies: number[];
  ended?: number;
}
const phases: Phase[] = [];
let phase: Phase = { name: 'start', started: performance.now(), latencies: [] };
const begin = (name: string) => {
  phase = { name, started: performance.now(), latencies: [] };
  phases.push(phase);
  console.error(`[${new Date().toISOString()}] ${name}`);
};
let peakRss = 0;
let peakJava = 0;
const sampleMemory = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  try {
    const kb = execFileSync('ps', ['-C', 'java', '-o', 'rss='], { encoding: 'utf8' })
      .split('\n')
      .map(Number)
      .filter((n) => n > 0)
      .reduce((a, b) => a + b, 0);
    peakJava = Math.max(peakJava, kb * 1024);
  } catch {
    /* no java process visible */
  }
};
const sampler = setInterval(sampleMemory, 2000);
let previewStatus = 0;

const local = await startLocalStack({ adminKey: ADMIN_KEY, onStreamError: (m) => console.error(m) });
const http = async (
  method: string,
  path: string,
  o: { body?: unknown; form?: Record<string, string>; admin?: boolean; token?: string; tolerate?: boolean } = {},
) => {
  const headers: Record<string, string> = {};
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  if (o.form) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (o.admin) headers['x-admin-key'] = ADMIN_KEY;
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const url = path.startsWith('http') ? path : `${local.apiUrl}${path}`;
  const t = performance.now();
  const r = await fetch(url, {
    method,
    headers,
    redirect: 'manual',
    body: o.form ? new URLSearchParams(o.form).toString() : o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const bytes = Buffer.from(await r.arrayBuffer());
  phase.latencies.push(performance.now() - t);
  const pathname = new URL(url).pathname;
  const route = routes.find((x) => x.method === method && x.pattern.test(pathname));
  if (route) largest.set(route.key, Math.max(largest.get(route.key) ?? 0, bytes.length));
  if (r.status >= 500 && !o.tolerate)
    throw new Error(`${method} ${pathname} answered ${r.status}: ${bytes.toString().slice(0, 300)}`);
  let json: any;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    json = undefined;
  }
  return { status: r.status, json, bytes };
};
const parallel = async (n: number, one: (i: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, n) }, async () => {
      while (next < n) await one(next++);
    }),
  );
};
const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 3_600_000) => {
  const t = Date.now();
  while (!(await check())) {
    if (Date.now() - t > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
};
/** Moves the competition's dates (as an organizer edits them): `set` changes the config in place. */
const editConfig = async (set: (config: any) => void) => {
  const { competition } = (await http('GET', `/admin/competitions/${CID}`, { admin: true })).json;
  const { competitionId: _i, version: _v, createdAt: _c, updatedAt: _u, ...config } = competition;
  set(config);
  const r = await http('PUT', `/admin/competitions/${CID}`, { admin: true, body: config });
  if (r.status !== 200) throw new Error(`config refused: ${r.status} ${r.bytes.toString().slice(0, 500)}`);
};
const iso = (t: number) => new Date(t).toISOString();
const roundStatus = async (roundId: string) =>
  (await http('GET', `/admin/competitions/${CID}/rounds/${roundId}`, { admin: true })).json.run?.status as string;
const mailLinks = (subjectPart: string) =>
  local.mail
    .list()
    .filter((m) => m.subject.includes(subjectPart))
    .flatMap((m) => m.text.match(/https?:\/\/\S+\/review\/[^\s)]+/g) ?? []);
/** Posts every review link's form once (a submission with scores that spread the entries). */
const reviewAll = async (links: string[]) => {
  let done = 0;
  await parallel(links.length, async (i) => {
    const v = String(40 + ((i * 37) % 60));
    const r = await http('POST', links[i]!, {
      form: { action: 'submit', 'score.innovation': v, 'score.feasibility': v, 'score.market': v, 'score.team': v },
    });
    if (r.status !== 303) throw new Error(`review refused: ${r.status} ${r.bytes.toString().slice(0, 300)}`);
    if (++done % 5000 === 0) console.error(`  ${done} reviews`);
  });
};

try {
  begin('create the competition');
  const t0 = Date.now();
  const base = competitionFixture({ id: CID, deadline: t0 + 86_400_000 });
  const config = {
    ...base,
    rounds: [
      base.rounds[0],
      {
        ...(base.rounds[1] as object),
        reviewersPerEntry: REVIEWS,
        advancement: { topKPerTrack: 15 },
        reminderHoursBefore: [],
      },
      { ...(base.rounds[2] as object), reviewersPerEntry: 5, reminderHoursBefore: [] },
    ],
  };
  const created = await http('POST', '/admin/competitions', { admin: true, body: config });
  if (created.status !== 201) throw new Error(`competition refused: ${created.bytes.toString().slice(0, 600)}`);

  begin(`${ENTRIES} entries (POST /competitions/{id}/entries, concurrency ${CONCURRENCY})`);
  await parallel(ENTRIES, async (i) => {
    const body = demoEntry({
      trackId: TRACKS[i % TRACKS.length],
      title: `全量基准方案 ${i}`,
      keywords: keywords(3, i),
      applicant: {
        ...demoEntry().applicant,
        organizationName: `全量基准公司 ${i}`,
        lead: { name: `负责人${i}`, email: `lead${i}@example.com` },
      },
    });
    const r = await http('POST', `/competitions/${CID}/entries`, { body });
    if (r.status !== 201) throw new Error(`entry refused: ${r.status} ${r.bytes.toString().slice(0, 300)}`);
  });

  begin(`${EXPERTS} experts (bulk import through S3)`);
  const lines = Array.from(
    { length: EXPERTS },
    (_, k) =>
      `full${k}@example.com,专家${k},研究院${k % 97},${k % 3 ? 'IC' : 'AI'},${keywords(4, k * 3).join(';')},zh,${Math.ceil((ENTRIES * REVIEWS * 2) / EXPERTS)},,`,
  );
  const csv = `email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants\n${lines.join('\n')}\n`;
  const job = (
    await http('POST', '/admin/imports', { admin: true, body: { kind: 'EXPERTS', contentType: 'text/csv' } })
  ).json;
  const form = new FormData();
  for (const [k, v] of Object.entries(job.upload.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([csv]), 'experts.csv');
  if ((await fetch(job.upload.url, { method: 'POST', body: form })).status !== 204) throw new Error('upload refused');
  await until('the import', async () => {
    const j = (await http('GET', `/admin/imports/${job.import.importId}`, { admin: true })).json.import;
    if (j.status === 'REJECTED') throw new Error(`import rejected: ${JSON.stringify(j.issues)}`);
    return j.status === 'DONE';
  });

  begin('screening (deadline pulled in, intake round)');
  const close = Date.now() + 2000;
  await editConfig((c) => {
    c.rounds[0].submissionDeadline = iso(close);
    c.rounds[1].reviewOpensAt = iso(close + 1000);
    c.rounds[1].reviewClosesAt = iso(close + 86_400_000);
    c.rounds[2].reviewOpensAt = iso(close + 86_400_000 + 60_000);
    c.rounds[2].reviewClosesAt = iso(close + 2 * 86_400_000);
  });
  await new Promise((r) => setTimeout(r, 2500));
  await http('POST', `/admin/competitions/${CID}/rounds/intake/start`, { admin: true });
  await until('screening', async () => (await roundStatus('intake')) === 'SCREENED');
  let eligible = 0;
  for (const trackId of TRACKS) {
    let cursor: string | null = null;
    do {
      const q: string = `trackId=${trackId}&status=ELIGIBLE&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await http('GET', `/admin/competitions/${CID}/entries?${q}`, { admin: true })).json;
      eligible += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
  }
  console.error(`  ${eligible} eligible`);

  begin('preliminary: assignment (solver, records, outbox, mail)');
  // The dry run solves the whole round inside an API request: at this size it may cross the API's 30 s.
  const preview = await http('GET', `/admin/competitions/${CID}/rounds/preliminary/assignment-preview`, {
    admin: true,
    tolerate: true,
  });
  console.error(`  assignment preview: ${preview.status}`);
  previewStatus = preview.status;
  await http('POST', `/admin/competitions/${CID}/rounds/preliminary/start`, { admin: true });
  await until('the preliminary assignment', async () => (await roundStatus('preliminary')) === 'REVIEWING');
  const expected = eligible * REVIEWS;
  await until('every review link mailed', async () => mailLinks('初赛').length >= expected);
  let outboxPages = 0;
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `?limit=50&cursor=${encodeURIComponent(cursor)}` : '?limit=50';
    cursor = (await http('GET', `/admin/competitions/${CID}/rounds/preliminary/outbox${q}`, { admin: true })).json
      .nextCursor;
    outboxPages++;
  } while (cursor);
  console.error(`  ${mailLinks('初赛').length} links in ${outboxPages} outbox pages`);

  begin(`preliminary: ${expected} reviews through the review pages (GET page + POST form)`);
  const links = mailLinks('初赛');
  await parallel(Math.min(200, links.length), async (i) => {
    await http('GET', links[i]!);
  });
  await reviewAll(links);
  await until('the preliminary tally', async () => (await roundStatus('preliminary')) === 'TALLIED');
  let decisions = 0;
  cursor = null;
  do {
    const q: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100';
    const page = (await http('GET', `/admin/competitions/${CID}/rounds/preliminary/decisions${q}`, { admin: true }))
      .json;
    decisions += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  const exp = (
    await http('POST', `/admin/competitions/${CID}/exports`, {
      admin: true,
      body: { kind: 'DECISIONS_CSV', roundId: 'preliminary' },
    })
  ).json.export;
  await until('the decisions export', async () =>
    Boolean((await http('GET', `/admin/exports/${exp.exportId}`, { admin: true })).json.export.done),
  );
  console.error(`  ${decisions} decisions paged; export done`);

  begin('final: dates moved, assignment, reviews, tally');
  await editConfig((c) => {
    c.rounds[1].reviewClosesAt = iso(Date.now() - 1000);
    c.rounds[2].reviewOpensAt = iso(Date.now());
    c.rounds[2].reviewClosesAt = iso(Date.now() + 86_400_000);
  });
  await http('POST', `/admin/competitions/${CID}/rounds/final/start`, { admin: true });
  await until('the final assignment', async () => (await roundStatus('final')) === 'REVIEWING');
  await until('final links mailed', async () => mailLinks('决赛').length > 0);
  await new Promise((r) => setTimeout(r, 3000));
  await reviewAll(mailLinks('决赛'));
  await until('the final tally', async () => (await roundStatus('final')) === 'TALLIED');

  begin('awards: proposal, approval, publication, results');
  await http('POST', `/admin/competitions/${CID}/awards/start`, { admin: true });
  await until('the proposal', async () =>
    Boolean(
      (await http('GET', `/admin/competitions/${CID}/awards`, { admin: true })).json.awards?.pendingDecisionToken,
    ),
  );
  await http('POST', `/admin/competitions/${CID}/awards/decision`, {
    admin: true,
    body: { action: 'APPROVE', reason: '评奖委员会审定' },
  });
  await until('publication', async () => (await http('GET', `/competitions/${CID}/results`)).status === 200);
  await http('GET', `/admin/competitions/${CID}/results.csv`, { admin: true });
  await http('GET', `/admin/competitions/${CID}/rounds/preliminary`, { admin: true });
  await http('GET', `/admin/competitions/${CID}/audit`, { admin: true });
  phase.ended = performance.now();
  for (const p of phases.slice(0, -1)) p.ended ??= phases[phases.indexOf(p) + 1]!.started;
  sampleMemory();

  // The largest item in the table (bench only: the application never scans).
  const ddb = new DynamoDBClient({ endpoint: local.dynamoEndpoint });
  let largestItem = { bytes: 0, key: '' };
  let items = 0;
  let start: Record<string, any> | undefined;
  do {
    const r = await ddb.send(new ScanCommand({ TableName: local.tableName, ExclusiveStartKey: start }));
    for (const it of r.Items ?? []) {
      items++;
      const bytes = Buffer.byteLength(JSON.stringify(it));
      if (bytes > largestItem.bytes) largestItem = { bytes, key: `${it.pk?.S} / ${it.sk?.S}` };
    }
    start = r.LastEvaluatedKey;
  } while (start);

  const total = (phases.at(-1)!.ended! - phases[0]!.started) / 1000;
  console.log(
    `\n## One whole competition through the HTTP API: ${ENTRIES} entries × ${EXPERTS} experts × ${REVIEWS} reviews\n`,
  );
  console.log(
    `total ${total.toFixed(0)} s; ${eligible} eligible; ${decisions} preliminary decisions; assignment preview answered ${previewStatus}\n`,
  );
  console.log('| phase | time | requests | p50 | p99 |');
  console.log('|---|---:|---:|---:|---:|');
  for (const p of phases)
    console.log(
      `| ${p.name} | ${((p.ended! - p.started) / 1000).toFixed(1)} s | ${p.latencies.length} | ${pct(p.latencies, 50).toFixed(0)} ms | ${pct(p.latencies, 99).toFixed(0)} ms |`,
    );
  console.log('\n| route | largest response |');
  console.log('|---|---:|');
  for (const [k, v] of [...largest].sort((a, b) => b[1] - a[1]))
    console.log(`| \`${k}\` | ${(v / 1024).toFixed(1)} KB |`);
  console.log(
    `\nlargest item: ${(largestItem.bytes / 1024).toFixed(1)} KB (${largestItem.key}; JSON size of the item, ≈ its DynamoDB size) of ${items} items`,
  );
  console.log(
    `peak memory: stack process ${(peakRss / 2 ** 20).toFixed(0)} MB RSS, DynamoDB Local (JVM) ${(peakJava / 2 ** 20).toFixed(0)} MB RSS`,
  );
} finally {
  clearInterval(sampler);
  await local.stop();
}
