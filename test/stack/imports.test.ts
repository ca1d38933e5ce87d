import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import type { ImportJob } from '../../shared/imports.ts';
import { applyExpertChunk, createImportJob, getImportJob } from '../../functions/store/imports.ts';
import { postForm } from '../fixtures/documents.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';

/**
 * Bulk imports end to end on the local stack: the job and its presigned POST, the file posted to
 * (local) S3, S3's Object Created event through the template's EventBridge rule to ImportUploaded,
 * all-or-nothing validation with row/column paths, chunked application with exact counts, and
 * re-runs that change nothing.
 */
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack();
}, 120_000);
afterAll(async () => s?.stop());

const HEADER =
  'email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants';
const row = (i: number, load = 10) => `bulk${i}@example.com,专家${i},研究院${i % 7},IC;AI,芯片,zh,${load},,`;
const csv = (rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

/** Creates an import, posts its file, and waits for the job to finish. */
const importFile = async (file: string, contentType = 'text/csv') => {
  const r = await s.req('POST', '/admin/imports', {
    admin: true,
    body: { kind: 'EXPERTS', contentType, fileName: 'experts.csv' },
  });
  expect(r.status).toBe(201);
  expect(r.body.import).toMatchObject({ status: 'AWAITING_UPLOAD', done: false });
  expect(r.body.import.key).toBeUndefined();
  expect((await postForm(r.body.upload, Buffer.from(file))).status).toBe(204);
  const id = r.body.import.importId as string;
  let job: Record<string, any> = {};
  for (let k = 0; k < 300 && !job.done; k++) {
    job = (await s.req('GET', `/admin/imports/${id}`, { admin: true })).body.import;
    if (!job.done) await new Promise((res) => setTimeout(res, 100));
  }
  return job;
};
const poolSize = async () => (await s.all('/admin/experts', { admin: true, limit: 100 })).length;

describe('bulk imports through S3', () => {
  it('imports 250 experts from a CSV in chunks, with exact counts', async () => {
    const job = await importFile(csv(Array.from({ length: 250 }, (_, i) => row(i))));
    expect(job).toMatchObject({ status: 'DONE', rows: 250, appliedRows: 250, created: 250, updated: 0, unchanged: 0 });
    expect(job.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await poolSize()).toBe(250);
  });

  it('re-importing the same file changes nothing; a changed row is counted as updated', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => row(i, i === 7 ? 12 : 10));
    const job = await importFile(csv(rows));
    expect(job).toMatchObject({ status: 'DONE', created: 0, updated: 1, unchanged: 249 });
    expect((await s.req('GET', '/admin/experts?limit=100', { admin: true })).status).toBe(200);
  });

  it('refuses a file with any bad row: nothing is applied, and the issues name rows and columns', async () => {
    const before = await poolSize();
    const valid = Array.from({ length: 120 }, (_, i) => row(1000 + i));
    const job = await importFile(csv([...valid, row(2000, -1)]));
    expect(job.status).toBe('REJECTED');
    expect(job.issues).toEqual([expect.objectContaining({ path: 'rows.122.maxLoadPerRound' })]);
    expect(job.issueCount).toBe(1);
    const twice = await importFile(csv([...valid, row(1005)]));
    expect(twice.issues).toEqual([expect.objectContaining({ path: 'rows.122.email', code: 'duplicate_email' })]);
    expect(await poolSize()).toBe(before);
  });

  it('takes JSON too, with paths into the document', async () => {
    const experts = [{ email: 'json1@example.com', name: '甲', institution: '所', maxLoadPerRound: 5 }];
    const ok = await importFile(JSON.stringify({ experts }), 'application/json');
    expect(ok).toMatchObject({ status: 'DONE', created: 1 });
    const bad = await importFile(
      JSON.stringify({ experts: [{ ...experts[0], maxLoadPerRound: 'many' }] }),
      'application/json',
    );
    expect(bad.issues[0].path).toBe('experts.0.maxLoadPerRound');
    expect((await importFile('{"experts": [', 'application/json')).issues[0].path).toBe('file');
  });

  it('a redelivered event changes nothing; a chunk applied twice counts once', async () => {
    const before = (await s.req('GET', '/admin/imports?x', { admin: true })).status; // no list route: 404 from the API
    expect(before).toBe(404);
    const job = await importFile(csv([row(5000), row(5001)]));
    const fn = s.model.functions.find((f) => f.logicalId.startsWith('ImportUploaded'))!;
    await s.lambdas.invoke(fn.logicalId, {
      'detail-type': 'Object Created',
      detail: { object: { key: `imports/${job.importId}` } },
    });
    expect((await s.req('GET', `/admin/imports/${job.importId}`, { admin: true })).body.import).toMatchObject({
      status: 'DONE',
      created: 2,
      appliedRows: 2,
    });
    // The store's guarantee behind re-runs: a chunk commits with the job's progress, once.
    const at = new Date().toISOString();
    const id = ulid();
    const applying: ImportJob = {
      importId: id,
      kind: 'EXPERTS',
      contentType: 'text/csv',
      status: 'APPLYING',
      key: `imports/${id}`,
      createdAt: at,
      updatedAt: at,
      rows: 2,
      appliedRows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      version: 1,
    };
    await createImportJob(applying);
    const chunk = [6000, 6001].map((i) => ({
      email: `bulk${i}@example.com`,
      name: `专家${i}`,
      institution: '院',
      fields: [],
      keywords: [],
      languages: ['zh' as const],
      maxLoadPerRound: 3,
      conflicts: { organizations: [], applicants: [] },
    }));
    expect(await applyExpertChunk(id, 0, chunk, at)).toBe(true);
    expect(await applyExpertChunk(id, 0, chunk, at)).toBe(false);
    expect(await getImportJob(id)).toMatchObject({ appliedRows: 2, created: 2, unchanged: 0 });
  });

  it('the synchronous routes take the 2,000 experts their schema allows (JSON and CSV over 256 KB)', async () => {
    const experts = Array.from({ length: 2000 }, (_, i) => ({
      email: `sync${i}@example.com`,
      name: `同步专家${i}`,
      institution: `某某大学某某学院某某研究所${i % 50}`,
      fields: ['IC', 'AI'],
      keywords: ['集成电路', '人工智能'],
      maxLoadPerRound: 10,
      conflicts: { organizations: ['某某科技有限公司'], applicants: [] },
    }));
    const body = JSON.stringify({ experts });
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    const r = await s.req('POST', '/admin/experts', { admin: true, raw: body });
    expect([r.status, r.body.created]).toEqual([200, 2000]);
    const file = csv(
      Array.from(
        { length: 2000 },
        (_, i) =>
          `csv${i}@example.com,专家${i},某某大学某某学院某某研究所${i % 50},IC;AI,集成电路;人工智能;芯片设计,zh,10,某某科技有限公司;另一家科技有限公司,`,
      ),
    );
    expect(Buffer.byteLength(file)).toBeGreaterThan(256 * 1024);
    const c = await s.req('POST', '/admin/experts/csv', {
      admin: true,
      raw: file,
      headers: { 'content-type': 'text/csv' },
    });
    expect([c.status, c.body.created]).toEqual([200, 2000]);
  });

  it('refuses bad import requests with 422 and field paths, storing nothing', async () => {
    const r = await s.req('POST', '/admin/imports', {
      admin: true,
      body: { kind: 'PROJECTS', contentType: 'text/html' },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['contentType', 'kind']);
    expect((await s.req('GET', `/admin/imports/${ulid()}`, { admin: true })).status).toBe(404);
  });
});
