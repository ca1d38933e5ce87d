import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { handler as createEntry } from '../../functions/api/create-entry.ts';
import { handler as createCompetition } from '../../functions/api/admin-create-competition.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { call, httpEvent } from '../fixtures/events.ts';

/**
 * Property: whatever the body, the answer is a success or a clear 4xx with an
 * error code — never a 5xx — and nothing is written unless it succeeded.
 */
process.env.TABLE_NAME = 'test-table';
const ddb = mockClient(DynamoDBDocumentClient);
const competition = { ...competitionFixture({ id: 'prop' }), version: 1, createdAt: '', updatedAt: '' };

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk: 'COMP#prop', sk: 'COMP' } }).resolves({ Item: competition });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
});

/** Valid entries with one field replaced by an arbitrary JSON value, plus arbitrary JSON outright. */
const entryPaths = ['title', 'summary', 'trackId', 'submit', 'documents', 'applicant', 'applicant.region', 'applicant.lead', 'applicant.lead.email', 'applicant.teamSize', 'applicant.foundedOn'];
const mutatedEntry = fc.tuple(fc.constantFrom(...entryPaths), fc.jsonValue()).map(([path, value]) => {
  const body = structuredClone(demoEntry()) as Record<string, any>;
  const keys = path.split('.');
  let at = body;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys.at(-1)!] = value;
  return JSON.stringify(body);
});
const anyBody = fc.oneof(mutatedEntry, fc.json(), fc.string(), fc.constant(JSON.stringify(demoEntry())));

const assertSafe = async (handler: unknown, params: Record<string, string>, body: string, okStatus: number) => {
  ddb.resetHistory();
  const r = await call(handler, httpEvent({ method: 'POST', params, headers: { 'content-type': 'application/json' }, body }));
  expect(r.status === okStatus || (r.status >= 400 && r.status < 500), `status ${r.status} for ${body.slice(0, 200)}`).toBe(true);
  if (r.status !== okStatus) {
    expect(r.body.error.code).toMatch(/^[A-Z_]+$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  }
};

describe('bad input never causes a 5xx or a write', () => {
  it('POST /competitions/{id}/entries', async () => {
    await fc.assert(fc.asyncProperty(anyBody, (body) => assertSafe(createEntry, { competitionId: 'prop' }, body, 201)), { numRuns: 300 });
  });

  it('POST /admin/competitions', async () => {
    const { competitionId: _c, ...config } = competitionFixture({ id: 'prop2' });
    const mutated = fc.tuple(fc.constantFrom('title', 'tracks', 'rounds', 'rubric', 'eligibility', 'awardPlan', 'status', 'entryPolicy'), fc.jsonValue()).map(([k, v]) =>
      JSON.stringify({ competitionId: 'prop2', ...config, [k]: v }),
    );
    await fc.assert(fc.asyncProperty(fc.oneof(mutated, fc.json()), (body) => assertSafe(createCompetition, {}, body, 201)), { numRuns: 200 });
  });
});
