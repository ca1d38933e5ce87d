import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { demoNeeds } from '../../infra/local/demo.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { benchMatching } from './needs-matching.ts';

/**
 * `npm run bench -- --needs`: enterprise needs at the scale of the real challenge (issue #11) on the local
 * stack — 2,000 needs posted concurrently by companies and vetted in bulk, then the catalogue's queries
 * at 2,000 and at 5,000 published needs (filters, Chinese and English keywords, deep pagination); on the
 * 2,000-need competition, answers, shortlists, meetings, deals and the statistics (./needs-matching.ts).
 */
const CID = 'bench-needs';
const CONCURRENCY = 16;
const RUNS = 30;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (x: number) => x.toFixed(0);

const local = await startLocalStack({ adminKey: 'bench' });
const admin = { 'content-type': 'application/json', 'x-admin-key': 'bench' };
try {
  const created = await fetch(`${local.apiUrl}/admin/competitions`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(competitionFixture({ id: CID, maxPerTrack: 10 })),
  });
  if (created.status !== 201) throw new Error(`competition refused: ${created.status} ${await created.text()}`);
  const all = demoNeeds(5000);
  const ids: string[] = [];
  const tokens: string[] = [];

  /** Posts needs [from, to) at CONCURRENCY, then publishes them 100 at a time. */
  const postAndVet = async (from: number, to: number) => {
    const latencies: number[] = [];
    let next = from;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < to) {
          const k = next++;
          const t = performance.now();
          const r = await fetch(`${local.apiUrl}/competitions/${CID}/needs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': `bench-need-${k}` },
            body: JSON.stringify(all[k]),
          });
          latencies.push(performance.now() - t);
          if (r.status !== 201) throw new Error(`need ${k} refused: ${r.status} ${await r.text()}`);
          const posted = (await r.json()) as { need: { needId: string }; sponsorToken: string };
          ids[k] = posted.need.needId;
          tokens[k] = posted.sponsorToken;
        }
      }),
    );
    const postSeconds = (performance.now() - t0) / 1000;
    const v0 = performance.now();
    for (let i = from; i < to; i += 100) {
      const decisions = ids.slice(i, Math.min(i + 100, to)).map((needId) => ({ needId, action: 'PUBLISH' }));
      const r = await fetch(`${local.apiUrl}/admin/competitions/${CID}/needs/decisions`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ decisions }),
      });
      const b = (await r.json()) as { decided: number };
      if (b.decided !== decisions.length) throw new Error(`vetting refused some: ${JSON.stringify(b).slice(0, 300)}`);
    }
    const vetSeconds = (performance.now() - v0) / 1000;
    return { count: to - from, postSeconds, latencies, vetSeconds };
  };

  const get = async (query: string) => {
    const t = performance.now();
    const r = await fetch(`${local.apiUrl}/competitions/${CID}/needs?${query}`);
    const b = (await r.json()) as { items: unknown[]; nextCursor: string | null };
    if (r.status !== 200) throw new Error(`catalogue ${query}: ${r.status} ${JSON.stringify(b)}`);
    return { ms: performance.now() - t, items: b.items.length, cursor: b.nextCursor };
  };
  const uri = encodeURIComponent;
  const QUERIES: Array<[string, string]> = [
    ['newest first, first page (20)', ''],
    ['largest investment first', 'sort=investment'],
    ['field', 'field=AI'],
    ['field + region (上海)', `field=IC&region=${uri('上海')}`],
    ['investment range, newest first', 'minInvestment=1000000&maxInvestment=5000000'],
    ['investment range, largest first', 'sort=investment&minInvestment=1000000&maxInvestment=5000000'],
    ['Chinese keyword (激光雷达)', `q=${uri('激光雷达')}`],
    ['English keyword (lidar)', 'q=lidar'],
    ['a keyword one need has (需求 1234）)', `q=${uri('需求 1234）')}`],
    ['keyword + field + region + open', `q=${uri('芯片')}&field=IC&region=other&status=OPEN`],
  ];

  const measureCatalogue = async (published: number) => {
    console.log(`\n### The catalogue at ${published} published needs (${RUNS} runs each, one at a time)\n`);
    console.log('| query | lines | p50 ms | p99 ms |');
    console.log('|---|---:|---:|---:|');
    for (const [name, q] of QUERIES) {
      const times: number[] = [];
      let lines = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await get(q);
        times.push(r.ms);
        lines = r.items;
      }
      console.log(`| ${name} | ${lines} | ${ms(pct(times, 50))} | ${ms(pct(times, 99))} |`);
    }
    // Deep pagination: the whole catalogue, 50 a page, following nextCursor.
    const pageTimes: number[] = [];
    let cursor: string | null = null;
    let seen = 0;
    const t0 = performance.now();
    do {
      const r = await get(`limit=50${cursor ? `&cursor=${uri(cursor)}` : ''}`);
      pageTimes.push(r.ms);
      seen += r.items;
      cursor = r.cursor;
    } while (cursor);
    console.log(
      `| every page, 50 a page (${pageTimes.length} pages, ${seen} lines, ${((performance.now() - t0) / 1000).toFixed(1)} s) | 50 | ${ms(pct(pageTimes, 50))} | ${ms(pct(pageTimes, 99))} |`,
    );
    if (seen !== published) throw new Error(`the walk saw ${seen} of ${published}`);
  };

  console.log(`# Enterprise needs — ${new Date().toISOString()}\n`);
  const first = await postAndVet(0, 2000);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(
    `| 2,000 needs posted by companies at concurrency ${CONCURRENCY} | ${first.postSeconds.toFixed(1)} s (${(first.count / first.postSeconds).toFixed(0)} /s), p50 ${ms(pct(first.latencies, 50))} ms, p99 ${ms(pct(first.latencies, 99))} ms |`,
  );
  console.log(`| 2,000 vetted (PUBLISH), 100 a request | ${first.vetSeconds.toFixed(1)} s |`);
  await measureCatalogue(2000);
  await benchMatching(
    local,
    CID,
    ids.slice(0, 2000).map((needId, k) => ({ needId, token: tokens[k]!, field: all[k]!.field })),
  );
  const more = await postAndVet(2000, 5000);
  console.log(
    `\n3,000 more posted (${(more.count / more.postSeconds).toFixed(0)} /s) and vetted (${more.vetSeconds.toFixed(1)} s).`,
  );
  await measureCatalogue(5000);

  // No item grows with the number of needs: each need is its own item; the largest one, in bytes.
  const ddb = new DynamoDBClient({ endpoint: local.dynamoEndpoint });
  let largest = 0;
  for (const needId of ids.filter((_, k) => k % 250 === 0)) {
    const r = await ddb.send(
      new GetItemCommand({ TableName: local.tableName, Key: { pk: { S: `NEED#${needId}` }, sk: { S: 'NEED' } } }),
    );
    largest = Math.max(largest, Buffer.byteLength(JSON.stringify(r.Item)));
  }
  console.log(
    `\nLargest need item sampled (every 250th): ${(largest / 1024).toFixed(1)} KB (DynamoDB's limit: 400 KB).`,
  );
} finally {
  await local.stop();
}
