import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { documentClient, PDF, pdfWithPages, postForm, type EntryAccess } from '../fixtures/documents.ts';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { signLink } from '../../shared/links.ts';
import { assignmentIdOf, createAssignments } from '../../functions/store/reviews.ts';
import { advanceRound, freezeRound } from '../../functions/store/rounds.ts';

/**
 * Documents end to end on the local stack: the upload request, the browser-form
 * POST to (local) S3 with its policy enforced by the storage, the upload check
 * from the template's EventBridge rule, the (emulated) GuardDuty scan, the
 * applicant's download — and every way each step refuses.
 */
let s: TestStack;
const CID = 'docs-test';
let entry: EntryAccess;
let docs: ReturnType<typeof documentClient>;

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const request = (body: Record<string, unknown>, e = entry) => docs.request(e, body);
const documents = (e = entry) => docs.list(e);
const settled = (documentId: string, e = entry) => docs.settled(e, documentId);
const upload = (file: Buffer, body: Record<string, unknown> = {}) => docs.upload(entry, file, body);

beforeAll(async () => {
  s = await startTestStack();
  docs = documentClient(s);
  const competition = { ...competitionFixture({ id: CID }), documents: { limitsMb: { BUSINESS_PLAN: 1 } } };
  expect((await s.req('POST', '/admin/competitions', { admin: true, body: competition })).status).toBe(201);
  const r = await s.req('POST', `/competitions/${CID}/entries`, { body: demoEntry({ submit: false }) });
  expect(r.status).toBe(201);
  entry = { entryId: r.body.entry.entryId, token: r.body.accessToken };
}, 120_000);
afterAll(async () => s?.stop());

describe('documents: upload, check, scan, download', () => {
  it('takes a PDF through a presigned POST, checks its bytes, scans it CLEAN, and gives the same bytes back', async () => {
    const r = await upload(PDF);
    expect(r.document).toMatchObject({ status: 'AWAITING_UPLOAD', type: 'BUSINESS_PLAN', fileName: '商业计划书.pdf' });
    expect(r.document.key).toBeUndefined(); // the storage key is never shown
    expect(r.upload.url).toBe(`${s.s3Endpoint}/${s.documentsBucket}`);
    expect(r.upload.fields).toMatchObject({
      'Content-Type': 'application/pdf',
      key: expect.stringMatching(/^entries\//),
    });
    expect(r.posted.status).toBe(204);
    const d = await settled(r.document.documentId);
    expect(d).toMatchObject({ status: 'CLEAN', actualSize: PDF.length, sha256: sha(PDF) });
    expect(d.pages).toBeUndefined(); // this minimal PDF has no page tree: its page count is not known
    const download = await fetch(`${s.apiUrl}/entries/${entry.entryId}/documents/${d.documentId}/download`, {
      headers: { authorization: `Bearer ${entry.token}` },
      redirect: 'manual',
    });
    expect(download.status).toBe(303);
    const file = await fetch(download.headers.get('location')!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('inline');
    expect(sha(Buffer.from(await file.arrayBuffer()))).toBe(sha(PDF));
    // The object carries GuardDuty's verdict (emulated locally), which the bucket policy requires for reads.
    expect(s.s3.tags(s.documentsBucket!, `entries/${entry.entryId}/${d.documentId}`)).toMatchObject({
      GuardDutyMalwareScanStatus: 'NO_THREATS_FOUND',
    });
  });

  it('lets the storage itself refuse a file one byte over the limit; the document stays AWAITING_UPLOAD', async () => {
    const tooBig = Buffer.concat([PDF, Buffer.alloc(1024 * 1024 - PDF.length + 1, 32)]);
    const r = await request({ type: 'BUSINESS_PLAN', fileName: 'big.pdf', contentType: 'application/pdf', size: 1000 });
    const posted = await postForm(r.body.upload, tooBig);
    expect(posted.status).toBe(400);
    expect(posted.text).toContain('<Code>EntityTooLarge</Code>');
    expect(posted.text).toContain('<MaxSizeAllowed>1048576</MaxSizeAllowed>');
    expect((await postForm(r.body.upload, tooBig.subarray(1))).status).toBe(204); // exactly the limit is fine
  });

  it('rejects a PNG sent as a PDF, with the reason, and never scans it clean', async () => {
    const r = await upload(PNG, { fileName: 'plan.pdf' });
    expect(r.posted.status).toBe(204);
    const d = await settled(r.document.documentId);
    expect(d.status).toBe('REJECTED');
    expect(d.reason).toMatch(/declared PDF, but the file is image\/png/);
  });

  it('marks the EICAR test file INFECTED, and every way of downloading it refuses', async () => {
    const r = await upload(Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR)]), { fileName: 'eicar.pdf' });
    const d = await settled(r.document.documentId);
    expect(d).toMatchObject({ status: 'INFECTED', reason: expect.stringContaining('EICAR') });
    const viaApi = await s.req('GET', `/entries/${entry.entryId}/documents/${d.documentId}/download`, {
      token: entry.token,
    });
    expect(viaApi.status).toBe(409);
    expect(viaApi.body.error.code).toBe('DOCUMENT_NOT_CLEAN');
    // A valid presigned GET minted directly: the bucket policy's tag condition refuses it.
    const url = await getSignedUrl(
      new S3Client({}),
      new GetObjectCommand({ Bucket: s.documentsBucket!, Key: `entries/${entry.entryId}/${d.documentId}` }),
      { expiresIn: 60 },
    );
    const direct = await fetch(url);
    expect(direct.status).toBe(403);
    expect(await direct.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses expired, tampered and widened uploads and downloads at the storage', async () => {
    const key = `entries/${entry.entryId}/01J00000000000000000000000`;
    const expired = await createPresignedPost(new S3Client({}), {
      Bucket: s.documentsBucket!,
      Key: key,
      Conditions: [['content-length-range', 1, 10]],
      Expires: 1,
    });
    await new Promise((r) => setTimeout(r, 1500));
    const late = await postForm(expired, Buffer.from('x'));
    expect(late.status).toBe(403);
    expect(late.text).toContain('Policy expired');
    const r = await request({ type: 'BUSINESS_PLAN', fileName: 'a.pdf', contentType: 'application/pdf', size: 10 });
    // Another key, another content type, a field the policy does not name, a forged signature: all refused.
    expect((await postForm(r.body.upload, PDF, { key: `${key}-other` })).text).toContain('Policy Condition failed');
    expect((await postForm(r.body.upload, PDF, { 'Content-Type': 'text/html' })).text).toContain(
      'Policy Condition failed',
    );
    expect((await postForm(r.body.upload, PDF, { 'x-amz-meta-owner': 'me' })).text).toContain('Extra input fields');
    const forged = { ...r.body.upload, fields: { ...r.body.upload.fields, 'X-Amz-Signature': '0'.repeat(64) } };
    expect((await postForm(forged, PDF)).text).toContain('SignatureDoesNotMatch');
    // A presigned GET that has expired, or whose signature was altered.
    const clean = (await documents()).find((x) => x.status === 'CLEAN')!;
    const get = async (expiresIn: number) =>
      getSignedUrl(
        new S3Client({}),
        new GetObjectCommand({ Bucket: s.documentsBucket!, Key: `entries/${entry.entryId}/${clean.documentId}` }),
        { expiresIn },
      );
    const shortLived = await get(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await (await fetch(shortLived)).text()).toContain('Request has expired');
    const altered = (await get(60)).replace(/X-Amz-Signature=[0-9a-f]{4}/, 'X-Amz-Signature=0000');
    expect((await fetch(altered)).status).toBe(403);
  });

  it('answers bad upload requests with 422 and field paths, storing nothing', async () => {
    const before = (await documents()).length;
    const bad = [
      [{ type: 'NOPE', fileName: 'a.pdf', contentType: 'application/pdf', size: 1 }, 'type'],
      [{ type: 'BUSINESS_PLAN', fileName: 'a.png', contentType: 'image/png', size: 1 }, 'contentType'],
      [{ type: 'VIDEO', fileName: 'a.mp4', contentType: 'video/mp4', size: 1 }, 'type'],
      [{ type: 'BUSINESS_PLAN', fileName: '../etc/passwd', contentType: 'application/pdf', size: 1 }, 'fileName'],
      [{ type: 'BUSINESS_PLAN', fileName: 'a\r\nb.pdf', contentType: 'application/pdf', size: 1 }, 'fileName'],
      [{ type: 'BUSINESS_PLAN', fileName: 'a.pdf', contentType: 'application/pdf', size: 2 * 1024 * 1024 }, 'size'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await request(body as Record<string, unknown>);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(r.body.error.details), JSON.stringify(body)).toContain(field);
    }
    expect((await documents()).length).toBe(before);
    const other = await s.req('GET', `/entries/${entry.entryId}/documents`, { token: 'x'.repeat(43) });
    expect(other.status).toBe(404);
  });

  it('replaces a clean document with a new clean one of the same type, keeping the old on the record', async () => {
    const first = (await documents()).find((x) => x.status === 'CLEAN' && !x.replacedBy)!;
    const r = await upload(PDF, { fileName: '商业计划书（修订）.pdf' });
    const d = await settled(r.document.documentId);
    expect(d).toMatchObject({ status: 'CLEAN', replaces: first.documentId });
    expect((await documents()).find((x) => x.documentId === first.documentId)).toMatchObject({
      status: 'CLEAN',
      replacedBy: d.documentId,
    });
    const removed = await s.req('DELETE', `/entries/${entry.entryId}/documents/${d.documentId}`, {
      token: entry.token,
    });
    expect(removed.status).toBe(200);
    expect(
      (await s.req('DELETE', `/entries/${entry.entryId}/documents/${d.documentId}`, { token: entry.token })).status,
    ).toBe(409);
  });

  it('screening counts only a clean upload; after the deadline documents can no longer change', async () => {
    const cid = 'docs-screen';
    const deadline = Date.now() + 8000;
    const competition = {
      ...competitionFixture({ id: cid, deadline, requireBusinessPlan: true }),
      // Blind rounds need an anonymized business plan; a patent names its holder by nature and is not asked for.
      documents: { blindCopies: ['BUSINESS_PLAN'] },
    };
    expect((await s.req('POST', '/admin/competitions', { admin: true, body: competition })).status).toBe(201);
    const create = async (name: string) => {
      const r = await s.req('POST', `/competitions/${cid}/entries`, {
        body: demoEntry({ applicant: { ...demoEntry().applicant, organizationName: name } }),
      });
      expect(r.status).toBe(201);
      return { entryId: r.body.entry.entryId as string, token: r.body.accessToken as string };
    };
    const withPlan = await create('有计划书公司');
    const namedOnly = await create('只写了名字的公司'); // `documents` names a business plan; nothing uploaded
    const r = await request(
      { type: 'BUSINESS_PLAN', fileName: 'bp.pdf', contentType: 'application/pdf', size: PDF.length },
      withPlan,
    );
    expect((await postForm(r.body.upload, PDF)).status).toBe(204);
    expect((await settled(r.body.document.documentId, withPlan)).status).toBe('CLEAN');
    const patent = await docs.upload(withPlan, PDF, { type: 'PATENT', fileName: 'patent.pdf' });
    expect((await settled(patent.document.documentId, withPlan)).status).toBe('CLEAN');

    const start = await s.req('POST', `/admin/competitions/${cid}/rounds/intake/start`, { admin: true });
    expect((await s.sfn.waitFor(start.body.executionArn, 60_000)).status).toBe('SUCCEEDED');
    const entryOf = async (e: typeof withPlan) =>
      (await s.req('GET', `/entries/${e.entryId}`, { token: e.token })).body.entry;
    expect((await entryOf(withPlan)).status).toBe('ELIGIBLE');
    const refused = await entryOf(namedOnly);
    expect(refused.status).toBe('INELIGIBLE');
    expect(refused.screening.failures.map((f: { rule: string }) => f.rule)).toEqual(['requiredDocument:BUSINESS_PLAN']);

    const late = await request(
      { type: 'BUSINESS_PLAN', fileName: 'bp2.pdf', contentType: 'application/pdf', size: PDF.length },
      withPlan,
    );
    expect(late.status).toBe(409);
    const gone = await s.req('DELETE', `/entries/${withPlan.entryId}/documents/${r.body.document.documentId}`, {
      token: withPlan.token,
    });
    expect(gone.status).toBe(409);
    // The preliminary round is blind and this entry has no anonymized business plan: the organizer is told
    // before it starts (the patent's missing copy is not asked for).
    const preview = await s.req('GET', `/admin/competitions/${cid}/rounds/preliminary/assignment-preview`, {
      admin: true,
    });
    expect(preview.body.missingBlindCopies).toEqual([{ entryId: withPlan.entryId, types: ['BUSINESS_PLAN'] }]);
    // Once the round starts, the assignment step puts the same list on the round's assignment report.
    const experts = ['甲', '乙'].map((n, k) => ({
      email: `blind-reader${k}@example.com`,
      name: `评委${n}`,
      institution: `评审院${n}`,
      fields: ['IC', 'AI'],
      maxLoadPerRound: 10,
    }));
    expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);
    expect((await s.req('POST', `/admin/competitions/${cid}/rounds/preliminary/start`, { admin: true })).status).toBe(
      202,
    );
    let run: Record<string, any> = {};
    for (let k = 0; k < 100 && run.status !== 'REVIEWING'; k++) {
      run = (await s.req('GET', `/admin/competitions/${cid}/rounds/preliminary`, { admin: true })).body.run;
      if (run.status !== 'REVIEWING') await new Promise((r) => setTimeout(r, 200));
    }
    expect(run.assignment.missingBlindCopies).toEqual([{ entryId: withPlan.entryId, types: ['BUSINESS_PLAN'] }]);
  });

  it('lets a reviewer open the entry’s clean document from the review page (a blind round: only the anonymized copy), and records it', async () => {
    // The preliminary round is blind: upload an anonymized copy beside the original.
    const blindCopy = await pdfWithPages(3, 'anonymized copy');
    const r = await upload(blindCopy, { fileName: '商业计划书（匿名版）.pdf', blind: true });
    expect((await settled(r.document.documentId)).status).toBe('CLEAN');
    // After the clean verdict the scan step reads the PDF's page count (shown to the reviewer below).
    await expect
      .poll(async () => (await documents()).find((x) => x.documentId === r.document.documentId)?.pages)
      .toBe(3);
    const expert = 'reader@example.com';
    await createAssignments(
      CID,
      'preliminary',
      [{ entryId: entry.entryId, trackId: 'ic', expertEmail: expert }],
      new Date(),
    );
    await advanceRound(CID, 'preliminary', 'REVIEWING', {});
    const secret = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: process.env.LINK_KEY_SECRET_ARN! }),
    );
    const assignmentId = assignmentIdOf(CID, 'preliminary', entry.entryId, expert);
    const competition = (await s.req('GET', `/admin/competitions/${CID}`, { admin: true })).body.competition;
    const token = signLink(
      {
        purpose: 'review',
        subject: assignmentId,
        version: 1,
        expiresAt: new Date(competition.rounds[1].reviewClosesAt),
      },
      JSON.parse(secret.SecretString!).current,
    );
    const page = await (await fetch(`${s.apiUrl}/review/${token}`)).text();
    const hrefs = [...page.matchAll(/href="(\/review\/[^"]+\/documents\/[^"]+)"/g)].map((m) => m[1]!);
    expect(hrefs).toEqual([`/review/${token}/documents/${r.document.documentId}`]); // the original is not listed
    expect(page).not.toContain('商业计划书（匿名版）.pdf'); // nor any file name, in a blind round
    expect(page).toContain('3 页');
    const opened = await fetch(`${s.apiUrl}${hrefs[0]}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const bytes = Buffer.from(await (await fetch(opened.headers.get('location')!)).arrayBuffer());
    expect(sha(bytes)).toBe(sha(blindCopy));
    // The original (not anonymized) cannot be opened through the link, even by guessing its id.
    const original = (await documents()).find((x) => x.status === 'CLEAN' && !x.blind)!;
    expect(
      (await fetch(`${s.apiUrl}/review/${token}/documents/${original.documentId}`, { redirect: 'manual' })).status,
    ).toBe(404);
    const seen = (await s.req('GET', `/admin/entries/${entry.entryId}/documents`, { admin: true })).body.accesses;
    expect(seen).toEqual([
      expect.objectContaining({
        reader: 'REVIEWER',
        documentId: r.document.documentId,
        assignmentId,
        expertEmail: expert,
      }),
    ]);
    // Every opening is kept; organizers page through them (here one a page).
    await fetch(`${s.apiUrl}${hrefs[0]}`, { redirect: 'manual' });
    const openings = await s.all(`/admin/entries/${entry.entryId}/documents`, { admin: true, limit: 1 });
    expect(openings).toHaveLength(2);
    // Once the round is tallied (frozen), its documents are closed too.
    await freezeRound(CID, 'preliminary', new Date());
    expect((await fetch(`${s.apiUrl}${hrefs[0]}`, { redirect: 'manual' })).status).toBe(409);
  });
});
