import { randomBytes } from 'node:crypto';
import { demoEntry } from '../../infra/local/demo.ts';
import type { LocalStack } from '../../infra/local/stack.ts';
import { competitionFixture } from '../fixtures/competition.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

/**
 * `count` documents of `bytes` each uploaded through the local stack at `concurrency`: the upload
 * request (minting the presigned POST), the multipart post to (local) S3, the byte check from the
 * template's EventBridge rule, the emulated scan — until every one is CLEAN.
 */
export const documentsBurst = async (local: LocalStack, count: number, bytes: number, concurrency: number) => {
  const admin = { 'content-type': 'application/json', 'x-admin-key': 'bench' };
  const created = await fetch(`${local.apiUrl}/admin/competitions`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify(competitionFixture({ id: 'bench-docs', maxPerTrack: 20 })),
  });
  if (created.status !== 201) throw new Error(`competition refused: ${created.status} ${await created.text()}`);
  const entries = await Promise.all(
    Array.from({ length: Math.ceil(count / 10) }, async (_, k) => {
      const r = await fetch(`${local.apiUrl}/competitions/bench-docs/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          demoEntry({ submit: false, applicant: { ...demoEntry().applicant, organizationName: `文档基准 ${k}` } }),
        ),
      });
      const b = (await r.json()) as { entry: { entryId: string }; accessToken: string };
      if (!b.entry) throw new Error(`entry refused: ${r.status} ${JSON.stringify(b)}`);
      return { entryId: b.entry.entryId, token: b.accessToken };
    }),
  );
  const file = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(bytes - 9)]);
  const mint: number[] = [];
  const posted = new Map<string, number>();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const e = entries[next++ % entries.length]!;
        const t = performance.now();
        const r = await fetch(`${local.apiUrl}/entries/${e.entryId}/documents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${e.token}` },
          body: JSON.stringify({ type: 'OTHER', fileName: 'bench.pdf', contentType: 'application/pdf', size: bytes }),
        });
        const b = (await r.json()) as {
          document: { documentId: string };
          upload: { url: string; fields: Record<string, string> };
        };
        if (!b.upload) throw new Error(`upload request refused: ${r.status} ${JSON.stringify(b)}`);
        mint.push(performance.now() - t);
        const form = new FormData();
        for (const [k, v] of Object.entries(b.upload.fields)) form.append(k, v);
        form.append('file', new Blob([file]), 'bench.pdf');
        const up = await fetch(b.upload.url, { method: 'POST', body: form });
        if (up.status !== 204) throw new Error(`upload refused: ${up.status} ${await up.text()}`);
        posted.set(b.document.documentId, performance.now());
      }
    }),
  );
  const uploadedAt = performance.now();
  const clean = new Map<string, number>();
  let failed = 0;
  while (clean.size + failed < count && performance.now() - t0 < 600_000) {
    failed = 0;
    for (const e of entries) {
      const r = await fetch(`${local.apiUrl}/entries/${e.entryId}/documents`, {
        headers: { authorization: `Bearer ${e.token}` },
      });
      for (const d of ((await r.json()) as { documents: Array<{ documentId: string; status: string }> }).documents) {
        if (d.status === 'CLEAN' && !clean.has(d.documentId)) clean.set(d.documentId, performance.now());
        if (d.status === 'REJECTED' || d.status === 'INFECTED') failed++;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const toClean = [...clean].map(([id, at]) => at - posted.get(id)!);
  const seconds = (Math.max(...clean.values()) - t0) / 1000;
  console.log(
    `\n## Documents (${count} × ${(bytes / 1024 / 1024).toFixed(0)} MB at concurrency ${concurrency}, local stack)\n`,
  );
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(
    `| minting the upload (POST /entries/{id}/documents: checks, item, presigned POST) | p50 ${pct(mint, 50).toFixed(0)} ms, p99 ${pct(mint, 99).toFixed(0)} ms |`,
  );
  console.log(
    `| all ${count} posted to (local) S3 | ${((uploadedAt - t0) / 1000).toFixed(1)} s (${((count * bytes) / 1024 / 1024 / ((uploadedAt - t0) / 1000)).toFixed(0)} MB/s) |`,
  );
  console.log(
    `| posted → CLEAN (byte check + SHA-256 + emulated scan) | p50 ${pct(toClean, 50).toFixed(0)} ms, p99 ${pct(toClean, 99).toFixed(0)} ms |`,
  );
  console.log(
    `| all ${count} CLEAN | ${clean.size} of ${count} in ${seconds.toFixed(1)} s; rejected or infected: ${failed} |`,
  );
};
