import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, GetObjectTaggingCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { competitionFixture } from '../fixtures/competition.ts';

/** The two functions that follow an upload, with DynamoDB and S3 mocked: every state they move a document through. */
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
process.env.TABLE_NAME = 'test-table';
process.env.DOCUMENTS_BUCKET = 'documents';

const ENTRY = '01J00000000000000000000001';
const DOC = '01J00000000000000000000002';
const KEY = `entries/${ENTRY}/${DOC}`;
const PDF = Buffer.from('%PDF-1.4\n% plan\n%%EOF\n');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const competition = { ...competitionFixture({}), documents: { limitsMb: { BUSINESS_PLAN: 1 } }, version: 1 };
const doc = (status: string, extra: Record<string, unknown> = {}) => ({
  pk: `ENTRY#${ENTRY}`,
  sk: `DOC#${DOC}`,
  documentId: DOC,
  entryId: ENTRY,
  competitionId: competition.competitionId,
  type: 'BUSINESS_PLAN',
  fileName: 'bp.pdf',
  contentType: 'application/pdf',
  size: PDF.length,
  blind: false,
  status,
  key: KEY,
  createdAt: '2026-06-01T00:00:00.000Z',
  updatedAt: '2026-06-01T00:00:00.000Z',
  version: 1,
  ...extra,
});
const ctx = { functionName: 'f', awsRequestId: 'r' } as Context;

const uploadedEvent = {
  'detail-type': 'Object Created',
  source: 'aws.s3',
  detail: { bucket: { name: 'documents' }, object: { key: KEY, size: PDF.length, 'version-id': 'v1' } },
};
const scanEvent = (verdict: string, threats: Array<{ name: string }> | null = null) => ({
  'detail-type': 'GuardDuty Malware Protection Object Scan Result',
  source: 'aws.guardduty',
  detail: {
    scanStatus: 'COMPLETED',
    s3ObjectDetails: { bucketName: 'documents', objectKey: KEY, versionId: 'v1' },
    scanResultDetails: { scanResultStatus: verdict, threats },
  },
});

const stored = (item: Record<string, unknown> | undefined) => {
  ddb.on(GetCommand, { Key: { pk: `ENTRY#${ENTRY}`, sk: `DOC#${DOC}` } }).resolves({ Item: item });
  ddb.on(QueryCommand).resolves({ Items: item ? [item] : [] });
};
const body = (b: Buffer) => ({ Body: Readable.from([b]) as never, VersionId: 'v1' });
/** The document's update in the transaction the function wrote (there is one at most). */
const written = () =>
  ddb
    .commandCalls(TransactWriteCommand)
    .map((c) => c.args[0].input.TransactItems![0]!.Update!.ExpressionAttributeValues);
const tagged = () => s3.commandCalls(PutObjectTaggingCommand).map((c) => c.args[0].input.Tagging!.TagSet);

beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk: `COMP#${competition.competitionId}`, sk: 'COMP' } }).resolves({ Item: competition });
  ddb.on(TransactWriteCommand).resolves({});
  s3.on(GetObjectTaggingCommand).resolves({
    TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }],
  });
  s3.on(PutObjectTaggingCommand).resolves({});
});

describe('DocumentUploaded (S3 Object Created → the byte check)', () => {
  it('moves a PDF that is a PDF to SCANNING with its size and SHA-256', async () => {
    stored(doc('AWAITING_UPLOAD'));
    s3.on(GetObjectCommand).resolves(body(PDF));
    const { handler } = await import('../../functions/events/document-uploaded.ts');
    expect(await handler(uploadedEvent, ctx)).toEqual({ recorded: true, status: 'SCANNING' });
    expect(Object.values(written()[0]!)).toEqual(
      expect.arrayContaining(['SCANNING', PDF.length, 'v1', expect.stringMatching(/^[0-9a-f]{64}$/)]),
    );
    expect(tagged()).toEqual([]);
  });

  it('rejects a PNG declared as a PDF, and tags the object so the lifecycle removes it', async () => {
    stored(doc('AWAITING_UPLOAD'));
    s3.on(GetObjectCommand).resolves(body(PNG));
    const { handler } = await import('../../functions/events/document-uploaded.ts');
    expect(await handler(uploadedEvent, ctx)).toEqual({ recorded: true, status: 'REJECTED' });
    expect(Object.values(written()[0]!)).toContain('declared PDF, but the file is image/png');
    // GuardDuty's tag stays; ours is added.
    expect(tagged()[0]).toEqual([
      { Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' },
      { Key: 'document-status', Value: 'REJECTED' },
    ]);
  });

  it('rejects bytes over the competition’s limit even if they reached the bucket', async () => {
    stored(doc('AWAITING_UPLOAD'));
    s3.on(GetObjectCommand).resolves(body(Buffer.concat([PDF, Buffer.alloc(1024 * 1024, 32)])));
    const { handler } = await import('../../functions/events/document-uploaded.ts');
    expect(await handler(uploadedEvent, ctx)).toEqual({ recorded: true, status: 'REJECTED' });
    expect(JSON.stringify(written()[0])).toContain('over the 1048576-byte limit');
  });

  it('applies a scan verdict that arrived before it (parked on the document) once the bytes check out', async () => {
    const parked = doc('AWAITING_UPLOAD', { pendingScan: { status: 'INFECTED', reason: 'malware: EICAR' } });
    ddb
      .on(GetCommand, { Key: { pk: `ENTRY#${ENTRY}`, sk: `DOC#${DOC}` } })
      .resolvesOnce({ Item: parked })
      .resolves({ Item: { ...parked, status: 'SCANNING', sha256: 'b'.repeat(64) } });
    ddb.on(QueryCommand).resolves({ Items: [] });
    s3.on(GetObjectCommand).resolves(body(PDF));
    const { handler } = await import('../../functions/events/document-uploaded.ts');
    expect(await handler(uploadedEvent, ctx)).toEqual({ recorded: true, status: 'INFECTED' });
    expect(written().map((v) => Object.values(v!).find((x) => x === 'SCANNING' || x === 'INFECTED'))).toEqual([
      'SCANNING',
      'INFECTED',
    ]);
    expect(tagged()[0]).toContainEqual({ Key: 'document-status', Value: 'INFECTED' });
  });

  it('changes nothing for a redelivered event (the document is past AWAITING_UPLOAD)', async () => {
    stored(doc('SCANNING'));
    const { handler } = await import('../../functions/events/document-uploaded.ts');
    expect(await handler(uploadedEvent, ctx)).toEqual({ recorded: false });
    expect(written()).toEqual([]);
    expect(s3.commandCalls(GetObjectCommand)).toEqual([]);
  });

  it('tags bytes no document awaits as ORPHANED', async () => {
    stored(undefined);
    const { handler } = await import('../../functions/events/document-uploaded.ts');
    expect(await handler(uploadedEvent, ctx)).toEqual({ recorded: false });
    expect(tagged()[0]).toContainEqual({ Key: 'document-status', Value: 'ORPHANED' });
  });
});

describe('DocumentScanned (GuardDuty’s result → the verdict)', () => {
  it('records CLEAN, on the audit record with the file’s SHA-256', async () => {
    stored(doc('SCANNING', { sha256: 'a'.repeat(64), actualSize: 10 }));
    const { handler } = await import('../../functions/events/document-scanned.ts');
    expect(await handler(scanEvent('NO_THREATS_FOUND'), ctx)).toEqual({ recorded: true, status: 'CLEAN' });
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(tx.map((x) => x.Put?.Item?.type).filter(Boolean)).toEqual(['DOCUMENT_CLEAN']);
    expect(JSON.stringify(tx)).toContain('a'.repeat(64));
    expect(tagged()).toEqual([]);
  });

  it('records INFECTED with the threat’s name and tags the object for removal', async () => {
    stored(doc('SCANNING'));
    const { handler } = await import('../../functions/events/document-scanned.ts');
    const out = await handler(scanEvent('THREATS_FOUND', [{ name: 'EICAR-Test-File (not a virus)' }]), ctx);
    expect(out).toEqual({ recorded: true, status: 'INFECTED' });
    expect(JSON.stringify(written()[0])).toContain('malware: EICAR-Test-File (not a virus)');
    expect(tagged()[0]).toContainEqual({ Key: 'document-status', Value: 'INFECTED' });
  });

  it('rejects, with the reason, a file the scan could not complete (never silently clean)', async () => {
    stored(doc('SCANNING'));
    const { handler } = await import('../../functions/events/document-scanned.ts');
    expect(await handler(scanEvent('UNSUPPORTED'), ctx)).toEqual({ recorded: true, status: 'REJECTED' });
    expect(JSON.stringify(written()[0])).toContain('could not complete (UNSUPPORTED)');
  });

  it('parks a result that overtook the byte check on the document', async () => {
    stored(doc('AWAITING_UPLOAD'));
    const { handler } = await import('../../functions/events/document-scanned.ts');
    expect(await handler(scanEvent('NO_THREATS_FOUND'), ctx)).toEqual({ recorded: false, status: 'PARKED' });
    expect(written()[0]).toMatchObject({ ':f1': { status: 'CLEAN' } });
  });

  it('changes nothing for a redelivered result', async () => {
    stored(doc('CLEAN'));
    const { handler } = await import('../../functions/events/document-scanned.ts');
    expect(await handler(scanEvent('NO_THREATS_FOUND'), ctx)).toEqual({ recorded: false, status: 'CLEAN' });
    expect(written()).toEqual([]);
  });
});
