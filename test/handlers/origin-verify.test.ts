import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { competitionFixture } from '../fixtures/competition.ts';
import { call, httpEvent } from '../fixtures/events.ts';
import { demoEntry } from '../../infra/local/demo.ts';

/** Behind CloudFront, public routes answer only requests that carry the distribution's origin header. */
const ddb = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const ORIGIN_KEY = 'o'.repeat(64);
const PREVIOUS = 'p'.repeat(64);
const competition = { ...competitionFixture({}), version: 1, createdAt: '', updatedAt: '' };

beforeAll(() => {
  Object.assign(process.env, {
    TABLE_NAME: 'test-table',
    ORIGIN_VERIFY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:OriginVerifyKey',
    ENTRY_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:EntryTokenKey',
  });
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ current: ORIGIN_KEY, previous: PREVIOUS }) });
  ddb.on(GetCommand).resolves({ Item: { pk: 'COMP#yrd-challenge-2026', sk: 'COMP', ...competition } });
  ddb.on(TransactWriteCommand).resolves({});
});
afterAll(() => {
  delete process.env.ORIGIN_VERIFY_SECRET_ARN;
});

const get = async (headers: Record<string, string>) => {
  const { handler } = await import('../../functions/api/get-competition.ts');
  return call(
    handler,
    httpEvent({
      method: 'GET',
      path: '/competitions/yrd-challenge-2026',
      params: { competitionId: 'yrd-challenge-2026' },
      headers,
    }),
  );
};

describe('origin verification (behind the CloudFront distribution and its WAF rate limit)', () => {
  it('refuses a request made on the API endpoint directly, without reading anything', async () => {
    ddb.resetHistory();
    const r = await get({});
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('DIRECT_ACCESS_DENIED');
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect((await get({ 'x-origin-verify': 'x'.repeat(64) })).status).toBe(403);
  });

  it('answers a request the distribution forwarded, with the current key or, during a rotation, the previous one', async () => {
    expect((await get({ 'x-origin-verify': ORIGIN_KEY })).status).toBe(200);
    expect((await get({ 'x-origin-verify': PREVIOUS })).status).toBe(200);
  });

  it('refuses a direct write before it validates or stores anything', async () => {
    ddb.resetHistory();
    const { handler } = await import('../../functions/api/create-entry.ts');
    const r = await call(
      handler,
      httpEvent({
        method: 'POST',
        path: '/competitions/yrd-challenge-2026/entries',
        params: { competitionId: 'yrd-challenge-2026' },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(demoEntry()),
      }),
    );
    expect(r.status).toBe(403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
