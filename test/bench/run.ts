/**
 * `npm run bench`: prints bundle sizes, module init times and local-stack intake
 * throughput next to raw DynamoDB Local write throughput from the same run.
 * Numbers only: nothing here passes or fails.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { buildApp } from '../../infra/app-factory.ts';
import { REPO_ROOT } from '../../infra/function.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { DEPLOY_TIME_FUNCTION } from '../../infra/local/template.ts';
import { documentsBurst } from './documents-burst.ts';
import { importsBurst } from './imports-burst.ts';
import { auditBurst } from './audit-burst.ts';
import { competitionFixture } from '../fixtures/competition.ts';

// `npm run bench -- --full`: one whole competition at 10,000 entries instead of the usual parts.
if (process.argv.includes('--full')) {
  await import('./full-competition.ts');
  process.exit(0);
}

// `npm run bench -- --needs`: enterprise needs and their catalogue at 2,000 and 5,000 needs.
if (process.argv.includes('--needs')) {
  await import('./needs-catalogue.ts');
  process.exit(0);
}

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const INIT_RUNS = 5;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);

console.log(`# Benchmark — ${new Date().toISOString()}`);
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`,
);

// 1. Bundles exactly as `cdk synth` builds them (esbuild, ESM, minified, AWS SDK external).
// Inside the repo, so the bundles resolve the external AWS SDK from node_modules as the Lambda runtime provides it.
const outdir = path.join(REPO_ROOT, '.local', 'bench', 'cdk.out');
rmSync(outdir, { recursive: true, force: true });
const { app, stack } = buildApp({ bundle: true, outdir, assetMetadata: true });
const template = app.synth().getStackByName(stack.stackName).template as {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
};
const bundles = Object.entries(template.Resources)
  // CDK's deploy-time helpers (inline code, no asset) are not the app's functions.
  .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !DEPLOY_TIME_FUNCTION.test(id))
  .map(([id, r]) => ({
    id: id.replace(/Fn[0-9A-F]{8}$/, '').replace(/Function$/, ''),
    file: path.join(outdir, r.Metadata!['aws:asset:path']!, 'index.mjs'),
  }));

console.log(
  '\n## Function bundles (goal ≤ 150 KB each) and module init time (median of %d cold Node processes)\n',
  INIT_RUNS,
);
console.log('| function | bundle KB | init ms |');
console.log('|---|---:|---:|');
const initProbe = `const t=performance.now();await import(process.argv[1]);console.log((performance.now()-t).toFixed(1))`;
let largest = 0;
for (const b of bundles.sort((a, b) => a.id.localeCompare(b.id))) {
  const kb = statSync(b.file).size / 1024;
  largest = Math.max(largest, kb);
  // Handlers resolve the AWS SDK (left external, as the Lambda runtime provides it) from the repo's node_modules.
  const times = Array.from({ length: INIT_RUNS }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', initProbe, b.file], {
        cwd: REPO_ROOT,
        env: { ...process.env, AWS_REGION: 'us-east-1', TABLE_NAME: 't' },
      })
        .toString()
        .trim(),
    ),
  );
  console.log(`| ${b.id} | ${kb.toFixed(1)} | ${median(times).toFixed(1)} |`);
}
console.log(`\nlargest bundle: ${largest.toFixed(1)} KB`);

// 2. Throughput on the local stack vs raw DynamoDB Local writes, same process, same DynamoDB Local.
const local = await startLocalStack({ adminKey: 'bench' });
try {
  const admin = { 'content-type': 'application/json', 'x-admin-key': 'bench' };
  const created = await fetch(`${local.apiUrl}/admin/competitions`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(competitionFixture({ id: 'bench', maxPerTrack: 20 })),
  });
  if (!created.ok) throw new Error(`setup failed: ${created.status}`);

  const run = async (n: number, one: (i: number) => Promise<void>) => {
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const i = next++;
          const t = performance.now();
          await one(i);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { perSecond: n / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
  };

  const body = (i: number) =>
    JSON.stringify(
      demoEntry({
        trackId: ['ic', 'ai'][i % 2],
        applicant: { ...demoEntry().applicant, organizationName: `基准测试公司 ${i}` },
      }),
    );
  // Warm-up: first imports of each handler, JIT, DynamoDB Local's first writes.
  await run(
    50,
    async (i) =>
      void (await fetch(`${local.apiUrl}/competitions/bench/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(1_000_000 + i),
      })),
  );

  const rawClient = new DynamoDBClient({
    endpoint: local.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // Warm DynamoDB Local's JVM as well, so no path is measured cold.
  await run(
    500,
    async (i) =>
      void (await rawClient.send(
        new PutItemCommand({
          TableName: local.tableName,
          Item: { pk: { S: `WARM#${i}` }, sk: { S: 'RAW' }, body: { S: body(i) } },
        }),
      )),
  );
  const raw = await run(ENTRIES, async (i) => {
    await rawClient.send(
      new PutItemCommand({
        TableName: local.tableName,
        Item: { pk: { S: `BENCH#${i}` }, sk: { S: 'RAW' }, body: { S: body(i) } },
      }),
    );
  });
  // The same three-item transaction intake performs (entry, org slot, idempotency record), without HTTP or handler.
  const rawTx = await run(ENTRIES, async (i) => {
    await rawClient.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName: local.tableName,
              Item: { pk: { S: `BENCHTX#${i}` }, sk: { S: 'E' }, body: { S: body(i) } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: local.tableName,
              Key: { pk: { S: `BENCHTX#G${i}` }, sk: { S: 'G' } },
              UpdateExpression: 'ADD activeCount :one',
              ConditionExpression: 'attribute_not_exists(activeCount) OR activeCount < :max',
              ExpressionAttributeValues: { ':one': { N: '1' }, ':max': { N: '1' } },
            },
          },
          {
            Put: {
              TableName: local.tableName,
              Item: { pk: { S: `BENCHTX#I${i}` }, sk: { S: 'I' }, body: { S: body(i) } },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  });
  let failures = 0;
  const api = await run(ENTRIES, async (i) => {
    const r = await fetch(`${local.apiUrl}/competitions/bench/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `bench-${i}-key` },
      body: body(i),
    });
    if (r.status !== 201) failures++;
    await r.arrayBuffer();
  });
  console.log(`\n## Intake throughput (${ENTRIES} entries, concurrency ${CONCURRENCY}, in-memory DynamoDB Local)\n`);
  console.log('| path | writes/s | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|');
  console.log(
    `| raw DynamoDB Local PutItem | ${raw.perSecond.toFixed(0)} | ${raw.p50.toFixed(1)} | ${raw.p99.toFixed(1)} |`,
  );
  console.log(
    `| raw DynamoDB Local TransactWriteItems, 3 items (what intake writes) | ${rawTx.perSecond.toFixed(0)} | ${rawTx.p50.toFixed(1)} | ${rawTx.p99.toFixed(1)} |`,
  );
  console.log(
    `| POST /competitions/{id}/entries with Idempotency-Key (HTTP → handler → 3-item TransactWrite) | ${api.perSecond.toFixed(0)} | ${api.p50.toFixed(1)} | ${api.p99.toFixed(1)} |`,
  );
  console.log(`\nintake / raw PutItem = ${((api.perSecond / raw.perSecond) * 100).toFixed(0)} % (goal ≥ 50 %)`);
  console.log(`intake / raw 3-item transaction = ${((api.perSecond / rawTx.perSecond) * 100).toFixed(0)} %`);
  console.log(`non-201 responses: ${failures}`);

  // A 2,000-entry review round through the synthesized state machine: its history must not grow with the round.
  console.log('\n## A 2,000-entry preliminary round on the local stack (5 reviews per entry, 500 experts)\n');
  const ROUND_ENTRIES = Number(process.env.BENCH_ROUND_ENTRIES ?? 2000);
  const t0 = Date.now();
  const cfg = competitionFixture({ id: 'bench-round', deadline: t0 + 120_000, maxPerTrack: 20 });
  const iso = (t: number) => new Date(t).toISOString();
  const rounds = [
    cfg.rounds[0],
    {
      ...(cfg.rounds[1] as object),
      reviewOpensAt: iso(t0 + 120_001),
      reviewClosesAt: iso(t0 + 3_600_000),
      reviewersPerEntry: 5,
    },
    { ...(cfg.rounds[2] as object), reviewOpensAt: iso(t0 + 3_700_000), reviewClosesAt: iso(t0 + 3_800_000) },
  ];
  const adminPost = (path: string, body: unknown) =>
    fetch(`${local.apiUrl}${path}`, {
      method: 'POST',
      headers: admin,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, any>>);
  await adminPost('/admin/competitions', { ...cfg, rounds });
  await run(ROUND_ENTRIES, async (i) => {
    const r = await fetch(`${local.apiUrl}/competitions/bench-round/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(i),
    });
    await r.arrayBuffer();
  });
  // Close intake now rather than in two minutes: the organizer moves the deadline, as `npm run admin -- set-deadline` does.
  const current = (
    (await fetch(`${local.apiUrl}/admin/competitions/bench-round`, { headers: admin }).then((r) => r.json())) as Record<
      string,
      any
    >
  ).competition;
  const { competitionId: _i, version: _v, createdAt: _c, updatedAt: _u, ...config } = current;
  config.rounds[0].submissionDeadline = iso(Date.now() + 1000);
  await fetch(`${local.apiUrl}/admin/competitions/bench-round`, {
    method: 'PUT',
    headers: admin,
    body: JSON.stringify(config),
  });
  const intake = await adminPost('/admin/competitions/bench-round/rounds/intake/start', undefined);
  await local.sfn.waitFor(intake.executionArn, 300_000);
  const experts = Array.from({ length: 500 }, (_, k) => ({
    email: `bench${k}@example.com`,
    name: `专家${k}`,
    institution: `研究院${k}`,
    fields: ['IC', 'AI'],
    languages: ['zh'],
    maxLoadPerRound: 30,
  }));
  await adminPost('/admin/experts', { experts });
  const started = Date.now();
  const review = await adminPost('/admin/competitions/bench-round/rounds/preliminary/start', undefined);
  const {
    getAssignment: readAssignment,
    allRoundAssignments,
    submitReview,
  } = await import('../../functions/store/reviews.ts');
  const { reviewWait } = await import('../../functions/store/rounds.ts');
  const { resumeIfReady } = await import('../../functions/services/callbacks.ts');
  let assignmentsList: Array<{ assignmentId: string }> = [];
  for (;;) {
    const st = (
      (await fetch(`${local.apiUrl}/admin/competitions/bench-round/rounds/preliminary`, { headers: admin }).then((r) =>
        r.json(),
      )) as Record<string, any>
    ).run.status;
    if (st === 'REVIEWING') break;
    // A failed assignment step would otherwise leave this loop waiting forever.
    const execution = local.sfn.describeExecution(review.executionArn);
    if (execution.status !== 'RUNNING') {
      throw new Error(
        `the review round ended before assigning: ${execution.status} ${JSON.stringify(execution.events.at(-1))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const assignedAt = Date.now();
  assignmentsList = await allRoundAssignments('bench-round', 'preliminary');
  // Reviews go straight to the store (the page's path minus HTTP), 16 at a time.
  await run(assignmentsList.length, async (i) => {
    const a = (await readAssignment(assignmentsList[i]!.assignmentId))!;
    const r = await submitReview(
      a.assignmentId,
      a.linkVersion,
      { innovation: 60 + (i % 40), feasibility: 70, market: 70, team: 70 },
      undefined,
      new Date(),
    );
    if (r.completedRound) await resumeIfReady(reviewWait('bench-round', 'preliminary'), {});
  });
  const done = await local.sfn.waitFor(review.executionArn, 600_000);
  const transitions = done.events.filter((e) => e.type.endsWith('StateEntered')).length;
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| entries screened eligible | ${JSON.parse(done.output ?? '{}').entries} |`);
  console.log(`| review assignments | ${assignmentsList.length} |`);
  console.log(
    `| assignment step (solve + ${assignmentsList.length} records + outbox) | ${((assignedAt - started) / 1000).toFixed(1)} s |`,
  );
  console.log(`| execution status | ${done.status} |`);
  console.log(
    `| state transitions (states entered) | ${transitions} (${done.events
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => (e.stateEnteredEventDetails as { name: string }).name)
      .join(' → ')}) |`,
  );
  await new Promise((r) => setTimeout(r, 3000)); // let the stream runner finish delivering
  const { listOutbox } = await import('../../functions/store/outbox.ts');
  console.log(
    `| e-mails delivered through the stream → DeliverOutbox → (local) SES, 3 s after the round | ${local.mail.list().length} of ${(await listOutbox('bench-round', 'preliminary')).length} outbox messages |`,
  );
  console.log(`| history events | ${done.events.length} |`);
  assignmentsList = [];

  await auditBurst(500);
  await documentsBurst(local, 200, 5 * 1024 * 1024, 8);
  await importsBurst(local, 10_000);
} finally {
  await local.stop();
}

// 3. Reviewer assignment (issue #3): exact solver vs greedy, each case in its own process for peak RSS.
console.log('\n## Reviewer assignment (seeded generator of issue #3, 5 reviews per entry, cap 30)\n');
console.log(
  '| entries × reviewers | solve ms | peak RSS MB | total affinity | greedy affinity | weak-only (solver / greedy) | missing reviews (solver / greedy) | certificate |',
);
console.log('|---|---:|---:|---:|---:|---|---|---|');
const runCase = (args: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', 'test/bench/assignment-case.ts', ...args], {
      cwd: REPO_ROOT,
      maxBuffer: 1 << 24,
    })
      .toString()
      .trim()
      .split('\n')
      .pop()!,
  );
for (const [n, m] of [
  [2000, 500],
  [2000, 334],
  [2000, 600],
  [5000, 1200],
] as const) {
  const r = runCase([String(n), String(m)]);
  const c = r.certificate;
  console.log(
    `| ${n} × ${m} | ${r.solveMs} | ${r.peakRssMb} | ${r.totalAffinity} | ${r.greedy.totalAffinity} | ${r.weakOnly} / ${r.greedy.weakOnly} | ${r.missingReviews} / ${r.greedy.missingReviews} | ${c.optimal ? 'optimal' : 'NOT PROVEN'}: min reduced cost ${c.minReducedCost} over ${c.checkedPairs} pairs, ${c.rounds} round(s) |`,
  );
}
const lp = runCase(['2000', '500', '--lp']).lp;
console.log(
  `\nHiGHS LP on 2000 × 500 (all conflict-free pairs, affinity objective): ${lp.lpWeight} vs solver ${lp.solverWeight} (×10⁻⁶ affinity) → ${lp.agree ? 'agree' : 'DISAGREE'}; LP took ${lp.lpMs} ms`,
);
