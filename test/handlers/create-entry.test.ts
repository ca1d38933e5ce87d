import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { handler } from '../../functions/api/create-entry.ts';
import { fixedClock, systemClock, useClock } from '../../functions/runtime/clock.ts';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { canonicalJson, deriveAccessToken, sha256 } from '../../shared/tokens.ts';
import { createEntryBody } from '../../shared/entry.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { call, httpEvent } from '../fixtures/events.ts';

process.env.TABLE_NAME = 'test-table';
process.env.ENTRY_TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:EntryTokenKey';
const ddb = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const TOKEN_KEY = 'k'.repeat(64);
secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ current: TOKEN_KEY }) });

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const DEADLINE = Date.parse('2026-06-30T00:00:00.000Z');
const competition = {
  ...competitionFixture({ now: NOW, deadline: DEADLINE }),
  version: 1,
  createdAt: '',
  updatedAt: '',
};

const post = (body: unknown, headers: Record<string, string> = {}) =>
  call(
    handler,
    httpEvent({
      method: 'POST',
      path: '/competitions/yrd-challenge-2026/entries',
      params: { competitionId: 'yrd-challenge-2026' },
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

const writes = () => ddb.commandCalls(TransactWriteCommand).length;

beforeEach(() => {
  ddb.reset();
  useClock(fixedClock(new Date(NOW)));
  ddb.on(GetCommand).resolves({});
  ddb
    .on(GetCommand, { Key: { pk: 'COMP#yrd-challenge-2026', sk: 'COMP' } })
    .resolves({ Item: { pk: 'COMP#yrd-challenge-2026', sk: 'COMP', ...competition } });
  ddb.on(TransactWriteCommand).resolves({});
  return () => useClock(systemClock);
});

describe('POST /competitions/{id}/entries (handler, DynamoDB mocked)', () => {
  it('creates a submitted entry in one transaction: entry, org slot, idempotency record, open-intake check, submission register, the applicant’s e-mail, audit record', async () => {
    const r = await post(demoEntry(), { 'idempotency-key': 'key-00000001' });
    expect(r.status).toBe(201);
    expect(r.body.entry.status).toBe('SUBMITTED');
    expect(r.body.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tx = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(tx).toHaveLength(8);
    // Only while the intake round is open (the close step sets intakeClosedAt) …
    expect(tx[3]!.ConditionCheck).toMatchObject({
      Key: { pk: 'COMP#yrd-challenge-2026', sk: 'ROUND#intake' },
      ConditionExpression: 'attribute_not_exists(intakeClosedAt)',
    });
    // … in the register screening reads strongly consistently …
    expect(tx[4]!.Put!.Item).toMatchObject({ pk: expect.stringMatching(/^SUBMITTED#yrd-challenge-2026#/) });
    expect(tx[4]!.Put!.Item!.sk).toBe(r.body.entry.entryId);
    // … with the lead's e-mail about it in the outbox (the token only mentioned, never carried) …
    expect(tx[5]!.Put!.Item).toMatchObject({
      pk: 'OUTBOX#yrd-challenge-2026#intake',
      sk: `APPLICANT#${r.body.entry.entryId}#ENTRY_SUBMITTED`,
      kind: 'ENTRY_SUBMITTED',
      expertEmail: demoEntry().applicant.lead.email,
    });
    // … and with the submission's audit record and its chain head, in the same transaction.
    expect(tx[6]!.Put!.Item).toMatchObject({ type: 'ENTRY_SUBMITTED', subject: r.body.entry.entryId, seq: 1 });
    expect(tx[7]!.Put!.Item).toMatchObject({ sk: 'HEAD', seq: 1, hash: tx[6]!.Put!.Item!.hash });
    expect(tx[0]!.Put!.Item!.tokenHash).toBe(sha256(r.body.accessToken));
    expect(tx[0]!.Put!.Item!.accessToken).toBeUndefined();
    // Nothing at rest holds the bearer token: not the entry, not the idempotency record.
    expect(JSON.stringify(tx)).not.toContain(r.body.accessToken);
    expect(r.body.accessToken).toBe(deriveAccessToken(r.body.entry.entryId, TOKEN_KEY));
    expect(tx[1]!.Update!.ConditionExpression).toContain('activeCount < :max');
    expect(tx[2]!.Put!.Item!.pk).toBe('IDEM#entries#yrd-challenge-2026#key-00000001');
  });

  it.each([
    ['malformed JSON', '{"title": ', {}, 400, 'MALFORMED_JSON'],
    ['wrong content type', 'title=x', { 'content-type': 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an oversized body', JSON.stringify(demoEntry({ summary: 'x'.repeat(300_000) })), {}, 413, 'PAYLOAD_TOO_LARGE'],
    ['an empty body', '', {}, 400, 'MISSING_BODY'],
  ])('refuses %s with a clear 4xx and writes nothing', async (_name, body, headers, status, code) => {
    const r = await post(body, headers as Record<string, string>);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(writes()).toBe(0);
  });

  it('names every failing field: unknown, wrong enum, huge number, bad email', async () => {
    const body = demoEntry({
      surprise: true,
      applicant: {
        ...demoEntry().applicant,
        organizationType: 'ALIEN',
        teamSize: Number.POSITIVE_INFINITY,
        lead: { name: '张三', email: 'nope' },
      },
    });
    const raw = JSON.stringify(body).replace('null', '1e400'); // JSON.stringify turns Infinity into null
    const r = await post(raw);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const paths = r.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['surprise', 'applicant.organizationType', 'applicant.teamSize', 'applicant.lead.email']),
    );
    expect(writes()).toBe(0);
  });

  it('refuses a submission one millisecond after the deadline and stores nothing', async () => {
    useClock(fixedClock(new Date(DEADLINE + 1)));
    const r = await post(demoEntry());
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('DEADLINE_PASSED');
    expect(writes()).toBe(0);
  });

  const keyTaken = () =>
    new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });

  it('replays the stored response for the same Idempotency-Key and body: the retry’s transaction is cancelled', async () => {
    const body = demoEntry();
    const stored = {
      status: 201,
      body: { entry: { entryId: 'E1' } },
      requestHash: sha256(canonicalJson(createEntryBody.parse(body))),
    };
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb
      .on(GetCommand, { Key: { pk: 'IDEM#entries#yrd-challenge-2026#key-00000002', sk: 'IDEM' } })
      .resolves({ Item: stored });
    const r = await post(body, { 'idempotency-key': 'key-00000002' });
    expect(r.status).toBe(201);
    // The token is derived again from the entry id: the same one the first response carried.
    expect(r.body).toEqual({ ...stored.body, accessToken: deriveAccessToken('E1', TOKEN_KEY) });
    expect(r.headers['idempotent-replayed']).toBe('true');
  });

  it('replays a success even when a rule now fails (a retry after the deadline)', async () => {
    const body = demoEntry();
    const stored = {
      status: 201,
      body: { entry: { entryId: 'E2' } },
      requestHash: sha256(canonicalJson(createEntryBody.parse(body))),
    };
    ddb
      .on(GetCommand, { Key: { pk: 'IDEM#entries#yrd-challenge-2026#key-00000004', sk: 'IDEM' } })
      .resolves({ Item: stored });
    useClock(fixedClock(new Date(DEADLINE + 60_000)));
    const r = await post(body, { 'idempotency-key': 'key-00000004' });
    expect(r.status).toBe(201);
    expect(r.body.entry.entryId).toBe('E2');
    expect(writes()).toBe(0);
  });

  it('refuses the same Idempotency-Key with a different body (422)', async () => {
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb
      .on(GetCommand, { Key: { pk: 'IDEM#entries#yrd-challenge-2026#key-00000003', sk: 'IDEM' } })
      .resolves({ Item: { status: 201, body: {}, requestHash: 'other' } });
    const r = await post(demoEntry(), { 'idempotency-key': 'key-00000003' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('maps a failed org-slot condition to 409 ENTRY_LIMIT_REACHED', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const r = await post(demoEntry());
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ENTRY_LIMIT_REACHED');
  });

  it('answers 404 for an unpublished competition and for a malformed competition id', async () => {
    ddb
      .on(GetCommand, { Key: { pk: 'COMP#draft-only', sk: 'COMP' } })
      .resolves({ Item: { ...competition, competitionId: 'draft-only', status: 'DRAFT' } });
    const draft = await call(
      handler,
      httpEvent({
        method: 'POST',
        params: { competitionId: 'draft-only' },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(demoEntry()),
      }),
    );
    expect(draft.status).toBe(404);
    const bad = await call(
      handler,
      httpEvent({
        method: 'POST',
        params: { competitionId: 'NOT A SLUG' },
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    );
    expect(bad.status).toBe(404);
    expect(writes()).toBe(0);
  });

  it('turns an unexpected DynamoDB failure into a 500 without leaking details', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('socket hang up'));
    const r = await post(demoEntry());
    expect(r.status).toBe(500);
    expect(r.body.error.code).toBe('INTERNAL');
    expect(JSON.stringify(r.body)).not.toContain('socket');
  });
});
