import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { demoEntry } from '../../infra/local/demo.ts';
import type { LocalStack } from '../../infra/local/stack.ts';

/**
 * The matching half of `npm run bench -- --needs` (issue #11): on the 2,000-need competition, 10,000 answers
 * (entries naming a need), 2,000 shortlist decisions, 500 meetings proposed, accepted and held, 120 deals —
 * then the statistics route, timed, and checked against the counts the bench itself made.
 */
const CONCURRENCY = 16;
const ANSWERS = 10_000;
const SHORTLISTS = 2_000;
const MEETINGS = 500;
const DEALS = 120;
const REGIONS = ['CN-SH', 'CN-JS', 'CN-ZJ', 'CN-AH', 'CN-GD', 'CN-BJ', 'SG', 'DE'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (x: number) => x.toFixed(0);

/** Runs `work(k)` for k in [0, count) at CONCURRENCY; each call's latency is kept. */
const pool = async (count: number, work: (k: number) => Promise<void>) => {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const k = next++;
        const t = performance.now();
        await work(k);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return `${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} /s), p50 ${ms(pct(latencies, 50))} ms, p99 ${ms(pct(latencies, 99))} ms`;
};

export const benchMatching = async (
  local: LocalStack,
  competitionId: string,
  needs: Array<{ needId: string; token: string; field: string }>,
) => {
  const api = local.apiUrl;
  const send = async (method: string, path: string, body: unknown, headers: Record<string, string>, ok: number) => {
    const r = await fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status !== ok) throw new Error(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  // Solvers answer IC and AI needs (the demo's BIOMED field is a sponsor CHALLENGE track with its own rules).
  const answerable = needs.filter((n) => n.field === 'IC' || n.field === 'AI');
  const answers: Array<{ needId: string; token: string; entryId: string; entryToken: string }> = [];

  console.log(`\n### Answers, shortlists, meetings and deals on the ${needs.length}-need competition\n`);
  console.log('| step | time, throughput, latency |');
  console.log('|---|---|');
  const answering = await pool(ANSWERS, async (k) => {
    const need = answerable[k % answerable.length]!;
    // 2,500 organizations answer four needs each, from the Delta, elsewhere in China and abroad.
    const org = k % 2500;
    const body = demoEntry({
      trackId: need.field === 'IC' ? 'ic' : 'ai',
      needId: need.needId,
      applicant: {
        ...demoEntry().applicant,
        organizationName: `揭榜单位${org}`,
        region: REGIONS[org % REGIONS.length],
      },
    });
    const r = await send('POST', `/competitions/${competitionId}/entries`, body, {}, 201);
    answers[k] = { needId: need.needId, token: need.token, entryId: r.entry.entryId, entryToken: r.accessToken };
  });
  console.log(
    `| ${ANSWERS.toLocaleString('en')} answers (entries naming a need), concurrency ${CONCURRENCY} | ${answering} |`,
  );

  const shortlisting = await pool(SHORTLISTS, async (k) => {
    const a = answers[k * Math.floor(ANSWERS / SHORTLISTS)]!;
    await send(
      'POST',
      `/needs/${a.needId}/answers/${a.entryId}/decision`,
      { action: 'SHORTLIST' },
      { authorization: `Bearer ${a.token}` },
      200,
    );
  });
  console.log(`| ${SHORTLISTS.toLocaleString('en')} shortlist decisions by sponsors | ${shortlisting} |`);

  const meetings: Array<{ a: (typeof answers)[number]; meetingId: string }> = [];
  const startsAt = new Date(Date.now() + 60_000).toISOString();
  const proposing = await pool(MEETINGS, async (k) => {
    const a = answers[k * Math.floor(ANSWERS / SHORTLISTS)]!;
    const r = await send(
      'POST',
      `/needs/${a.needId}/answers/${a.entryId}/meetings`,
      {
        startsAt,
        durationMinutes: 60,
        format: 'ONLINE',
        link: 'https://m.example.com/j/1',
        attendees: [{ name: '王工', side: 'SPONSOR' }],
      },
      { authorization: `Bearer ${a.token}` },
      201,
    );
    meetings[k] = { a, meetingId: r.meeting.meetingId };
  });
  console.log(`| ${MEETINGS} meetings proposed | ${proposing} |`);
  const accepting = await pool(MEETINGS, async (k) => {
    const { a, meetingId } = meetings[k]!;
    await send(
      'POST',
      `/entries/${a.entryId}/meetings/${meetingId}/response`,
      { action: 'ACCEPT' },
      { authorization: `Bearer ${a.entryToken}` },
      200,
    );
  });
  console.log(`| ${MEETINGS} accepted by solvers | ${accepting} |`);
  // Outcomes are recorded once a meeting has begun: wait for the common start time.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(startsAt) - Date.now() + 500)));
  const holding = await pool(MEETINGS, async (k) => {
    const { a, meetingId } = meetings[k]!;
    await send(
      'POST',
      `/needs/${a.needId}/answers/${a.entryId}/meetings/${meetingId}/outcome`,
      { outcome: 'HELD' },
      { authorization: `Bearer ${a.token}` },
      200,
    );
  });
  console.log(`| ${MEETINGS} outcomes recorded (HELD) | ${holding} |`);
  let contract = 0n;
  const dealing = await pool(DEALS, async (k) => {
    const { a } = meetings[k * 4]!;
    const fen = BigInt(100_000_00 + k * 12_345_67);
    contract += fen;
    const amount = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
    await send(
      'POST',
      `/needs/${a.needId}/deals`,
      {
        entryId: a.entryId,
        contractType: 'TECH_DEVELOPMENT',
        amount: { amount, currency: 'CNY' },
        signedOn: new Date().toISOString().slice(0, 10),
        landing: { region: 'CN-JS', city: '苏州' },
      },
      { authorization: `Bearer ${a.token}`, 'idempotency-key': `bench-deal-${k}` },
      201,
    );
  });
  console.log(`| ${DEALS} deals recorded | ${dealing} |`);

  // The statistics, timed (the first call apart: it also loads the function); checked against the bench.
  const times: number[] = [];
  let stats: any;
  let first = 0;
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    const r = await fetch(`${api}/admin/competitions/${competitionId}/needs/statistics`, {
      headers: { 'x-admin-key': 'bench' },
    });
    stats = ((await r.json()) as { statistics: unknown }).statistics;
    if (i === 0) first = performance.now() - t;
    else times.push(performance.now() - t);
  }
  const total = stats.total;
  const expected = {
    answers: ANSWERS,
    shortlisted: SHORTLISTS,
    meetingsHeld: MEETINGS,
    dealsSigned: DEALS,
    contractAmount: `${contract / 100n}.${String(contract % 100n).padStart(2, '0')}`,
    organizations: 2500,
  };
  const got = {
    answers: total.answers,
    shortlisted: total.shortlisted,
    meetingsHeld: total.meetingsHeld,
    dealsSigned: total.dealsSigned,
    contractAmount: total.contractAmount,
    organizations: total.answeringOrganizations.total,
  };
  if (JSON.stringify(got) !== JSON.stringify(expected))
    throw new Error(`statistics disagree: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
  console.log(
    `| statistics (${needs.length} needs, ${ANSWERS.toLocaleString('en')} answers, ${MEETINGS} meetings, ${DEALS} deals) | first call (cold function) ${ms(first)} ms; then 20 runs p50 ${ms(pct(times, 50))} ms, p99 ${ms(pct(times, 99))} ms — figures equal to the counts above (cross-region ${total.answeringOrganizations.crossRegion}, from abroad ${total.answeringOrganizations.fromAbroad} of ${total.answeringOrganizations.total} organizations) |`,
  );

  // No item grows with the number of answers, meetings or deals: the largest item of a need's partition.
  const ddb = new DynamoDBClient({ endpoint: local.dynamoEndpoint });
  let largest = { bytes: 0, sk: '' };
  for (const n of needs.filter((_, i) => i % 50 === 0)) {
    const r = await ddb.send(
      new QueryCommand({
        TableName: local.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: `NEED#${n.needId}` } },
      }),
    );
    for (const item of r.Items ?? []) {
      const bytes = Buffer.byteLength(JSON.stringify(item));
      if (bytes > largest.bytes) largest = { bytes, sk: String(item.sk?.S).split('#')[0]! };
    }
  }
  console.log(
    `\nLargest item in a sampled need's partition (need, answers, meetings, deals; every 50th need): ${(largest.bytes / 1024).toFixed(1)} KB (${largest.sk}).`,
  );
};
