import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { handler as createEntry } from '../../functions/api/create-entry.ts';
import { handler as createCompetition } from '../../functions/api/admin-create-competition.ts';
import { handler as projectEvent } from '../../functions/api/admin-project-event.ts';
import { handler as awardDecision } from '../../functions/api/admin-award-decision.ts';
import { handler as postNeed } from '../../functions/api/post-need.ts';
import { handler as needDecision } from '../../functions/api/admin-need-decision.ts';
import { handler as needDecisions } from '../../functions/api/admin-need-decisions.ts';
import { handler as proposeMeeting } from '../../functions/api/propose-meeting.ts';
import { handler as respondMeeting } from '../../functions/api/respond-meeting.ts';
import { handler as meetingOutcome } from '../../functions/api/meeting-outcome.ts';
import { handler as recordDeal } from '../../functions/api/record-deal.ts';
import { handler as adminCorrectDeal } from '../../functions/api/admin-correct-deal.ts';
import { handler as adminRecordDeal } from '../../functions/api/admin-record-deal.ts';
import { handler as correctDeal } from '../../functions/api/correct-deal.ts';
import { handler as nominateExperts } from '../../functions/api/nominate-experts.ts';
import { handler as reportMilestone } from '../../functions/api/report-milestone.ts';
import { handler as renewExpertLink } from '../../functions/api/admin-renew-expert-link.ts';
import { expertHomeIdOf } from '../../functions/store/expert-homes.ts';
import { signLink } from '../../shared/links.ts';
import { sha256 } from '../../shared/tokens.ts';
import { creditCodeCheck } from '../../shared/credit-code.ts';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { allocateAwards } from '../../shared/awards/allocation.ts';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { call, httpEvent } from '../fixtures/events.ts';

/**
 * Property: whatever the body, the answer is a success or a clear 4xx with an
 * error code — never a 5xx — and nothing is written unless it succeeded.
 */
process.env.TABLE_NAME = 'test-table';
process.env.ENTRY_TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:EntryTokenKey';
process.env.LINK_KEY_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:LinkKey';
const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockClient(SecretsManagerClient)
  .on(GetSecretValueCommand)
  .resolves({ SecretString: JSON.stringify({ current: 'k'.repeat(64) }) });
const ENTRY = '01J0000000000000000000000A';
const project = {
  projectId: `PRJ-${ENTRY}`,
  competitionId: 'prop',
  entryId: ENTRY,
  trackId: 'ic',
  awardId: 'grand',
  manager: { name: '张三', email: 'z@example.com' },
  title: 't',
  status: 'ACTIVE',
  currency: 'CNY',
  requestedAmount: '1000000.00',
  approvedAmount: '1000000.00',
  disbursed: '0.00',
  terms: { converts: 'DISBURSED', discountPercent: '20' },
  milestones: [
    { milestoneId: 'kickoff', title: 'k', trancheAmount: '300000.00', status: 'ACCEPTED' },
    { milestoneId: 'delivery', title: 'd', trancheAmount: '700000.00', status: 'PLANNED' },
  ],
  financing: [],
  log: [],
  version: 3,
  appointment: {
    linkVersion: 1,
    expiresAt: '2026-12-01T00:00:00.000Z',
    termMonths: 36,
    responsibilities: { zh: 'r' },
    answer: { accepted: true, at: new Date().toISOString() },
  },
};
/** The project manager's workspace token, signed with the key the mocked Secrets Manager returns. */
const MANAGER_TOKEN = signLink(
  { purpose: 'project-manager', subject: `PRJ-${ENTRY}`, version: 1, expiresAt: new Date(Date.now() + 86400_000) },
  'k'.repeat(64),
);
const awards = {
  competitionId: 'prop',
  finalRoundId: 'final',
  status: 'PROPOSED',
  proposalVersion: 1,
  entries: {},
  criteria: {},
  confirmations: [],
  history: [],
  version: 2,
  decisionTaskToken: 'token-1',
  proposal: allocateAwards(
    [
      {
        entryId: ENTRY,
        trackId: 'ic',
        score: 90,
        criteria: { innovation: 90 },
        submittedAt: '2026-06-01T00:00:00.000Z',
      },
    ],
    { tiers: [{ tierId: 'grand', count: 1, scope: 'OVERALL' }], specialAwards: [], tieBreak: [] },
  ),
};
const competition = {
  ...competitionFixture({ id: 'prop' }),
  // Sponsors may nominate experts here (PUT /needs/{id}/experts).
  needs: { sponsorsNominateExperts: true, maxNominationsPerNeed: 3 },
  version: 1,
  createdAt: '',
  updatedAt: '',
};
const NEED = '01J0000000000000000000000N';
const PUBLISHED_NEED = '01J0000000000000000000000P';
const validNeed = {
  sponsor: {
    name: '示例企业',
    creditCode: `91310000MA1000001${creditCodeCheck('91310000MA1000001')}`,
    region: 'CN-JS',
    industry: '装备',
  },
  contact: { name: '李工', email: 'li@example.com', phone: '+86 25 5555 0000' },
  title: { zh: '高精度减速器' },
  description: { zh: '机器人关节用高精度减速器。' },
  field: 'IC',
  indicators: [{ name: '回差', target: '≤ 1 arcmin' }],
  intendedInvestment: { amount: '3000000.00', currency: 'CNY' },
  cooperation: ['TECH_DEVELOPMENT'],
  answerDeadline: new Date(Date.now() + 3 * 86400_000).toISOString(),
};
const storedNeed = {
  ...validNeed,
  needId: NEED,
  competitionId: 'prop',
  status: 'SUBMITTED',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  history: [],
  tokenHash: 'x',
  searchText: '高精度减速器',
  version: 1,
};

/** A published need with its sponsor's token, a shortlisted answer, a meeting and a deal (对接, 签约). */
const SPONSOR_TOKEN = 'sponsor-token-for-property-tests';
const SOLVER_TOKEN = 'solver-token-for-property-tests';
const MEETING = '01J0000000000000000000000M';
const DEAL = '01J0000000000000000000000D';
const publishedNeed = {
  ...storedNeed,
  status: 'PUBLISHED',
  publishedAt: '2026-01-02T00:00:00.000Z',
  tokenHash: sha256(SPONSOR_TOKEN),
};
const answerRecord = {
  needId: NEED,
  entryId: ENTRY,
  competitionId: 'prop',
  answeredAt: '',
  status: 'SHORTLISTED',
  history: [],
  version: 2,
};
const solverEntry = {
  ...demoEntry(),
  entryId: ENTRY,
  competitionId: 'prop',
  status: 'SUBMITTED',
  needId: NEED,
  tokenHash: sha256(SOLVER_TOKEN),
  version: 1,
};
const validMeeting = {
  startsAt: new Date(Date.now() + 86400_000).toISOString(),
  durationMinutes: 60,
  format: 'ONLINE',
  link: 'https://meeting.example.com/j/1',
  attendees: [{ name: '王工', side: 'SPONSOR' }],
};
const meetingRecord = {
  ...validMeeting,
  startsAt: '2026-01-03T00:00:00.000Z',
  meetingId: MEETING,
  needId: NEED,
  entryId: ENTRY,
  competitionId: 'prop',
  status: 'PROPOSED',
  proposedAt: '',
  updatedAt: '',
  history: [],
  version: 1,
};
const validDeal = {
  entryId: ENTRY,
  contractType: 'TECH_LICENSE',
  amount: { amount: '500000', currency: 'CNY' },
  signedOn: '2026-11-01',
  landing: { region: 'CN-SH', city: '上海' },
};
const dealRecord = {
  ...validDeal,
  dealId: DEAL,
  needId: NEED,
  competitionId: 'prop',
  status: 'SIGNED',
  recordedAt: '',
  updatedAt: '',
  history: [],
  version: 1,
};

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk: 'COMP#prop', sk: 'COMP' } }).resolves({ Item: competition });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(GetCommand, { Key: { pk: `PROJECT#PRJ-${ENTRY}`, sk: 'PROJECT' } }).resolves({ Item: project });
  ddb.on(GetCommand, { Key: { pk: 'COMP#prop', sk: 'AWARDS' } }).resolves({ Item: awards });
  ddb.on(GetCommand, { Key: { pk: `NEED#${NEED}`, sk: 'NEED' } }).resolves({ Item: storedNeed });
  ddb.on(GetCommand, { Key: { pk: `NEED#${PUBLISHED_NEED}`, sk: 'NEED' } }).resolves({
    Item: { ...publishedNeed, needId: PUBLISHED_NEED },
  });
  ddb
    .on(GetCommand, { Key: { pk: `ENTRY#${ENTRY}`, sk: 'ENTRY' } })
    .resolves({ Item: { ...solverEntry, needId: PUBLISHED_NEED } });
  ddb.on(GetCommand, { Key: { pk: `NEED#${PUBLISHED_NEED}`, sk: `ANSWER#${ENTRY}` } }).resolves({ Item: answerRecord });
  ddb
    .on(GetCommand, { Key: { pk: `NEED#${PUBLISHED_NEED}`, sk: `MEETING#${ENTRY}#${MEETING}` } })
    .resolves({ Item: meetingRecord });
  ddb.on(GetCommand, { Key: { pk: `NEED#${PUBLISHED_NEED}`, sk: `DEAL#${DEAL}` } }).resolves({ Item: dealRecord });
  ddb.on(GetCommand, { Key: { pk: 'EXPERT#prof@example.edu', sk: 'EXPERT' } }).resolves({
    Item: { email: 'prof@example.edu', name: '教授', institution: '某大学', maxLoadPerRound: 5 },
  });
  // The project's log and the awards' history are line items of their own.
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb
    .on(QueryCommand, { ExpressionAttributeValues: { ':p': `PROJECT#PRJ-${ENTRY}`, ':s': 'LOG#' } })
    .resolves({ Items: project.log.map((line) => ({ line })) });
  ddb
    .on(QueryCommand, { ExpressionAttributeValues: { ':p': 'COMP#prop', ':s': 'AWARDLOG#' } })
    .resolves({ Items: awards.history.map((line) => ({ line })) });
  // An expert's home in the preliminary round, whose link the organizer renews.
  ddb
    .on(UpdateCommand, { Key: { pk: `ASSIGN#HOME-${expertHomeIdOf('prop', 'preliminary', 'wang@example.com')}` } })
    .resolves({ Attributes: { linkVersion: 2 } });
  sfn.reset();
  sfn.on(SendTaskSuccessCommand).resolves({});
});

/** Valid entries with one field replaced by an arbitrary JSON value, plus arbitrary JSON outright. */
const entryPaths = [
  'title',
  'summary',
  'trackId',
  'submit',
  'documents',
  'applicant',
  'applicant.region',
  'applicant.lead',
  'applicant.lead.email',
  'applicant.teamSize',
  'applicant.foundedOn',
];
const mutatedEntry = fc.tuple(fc.constantFrom(...entryPaths), fc.jsonValue()).map(([path, value]) => {
  const body = structuredClone(demoEntry()) as Record<string, any>;
  const keys = path.split('.');
  let at = body;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys.at(-1)!] = value;
  return JSON.stringify(body);
});
const anyBody = fc.oneof(mutatedEntry, fc.json(), fc.string(), fc.constant(JSON.stringify(demoEntry())));

const assertSafe = async (
  handler: unknown,
  params: Record<string, string>,
  body: string,
  okStatus: number,
  headers: Record<string, string> = {},
) => {
  ddb.resetHistory();
  sfn.resetHistory();
  const r = await call(
    handler,
    httpEvent({ method: 'POST', params, headers: { 'content-type': 'application/json', ...headers }, body }),
  );
  expect(
    r.status === okStatus || (r.status >= 400 && r.status < 500),
    `status ${r.status} for ${body.slice(0, 200)}`,
  ).toBe(true);
  if (r.status !== okStatus) {
    expect(r.body.error.code).toMatch(/^[A-Z_]+$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  }
};

describe('bad input never causes a 5xx or a write', () => {
  it('POST /competitions/{id}/entries', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, (body) => assertSafe(createEntry, { competitionId: 'prop' }, body, 201)),
      { numRuns: 300 },
    );
  });

  it('POST /admin/competitions', async () => {
    const { competitionId: _c, ...config } = competitionFixture({ id: 'prop2' });
    const mutated = fc
      .tuple(
        fc.constantFrom('title', 'tracks', 'rounds', 'rubric', 'eligibility', 'awardPlan', 'status', 'entryPolicy'),
        fc.jsonValue(),
      )
      .map(([k, v]) => JSON.stringify({ competitionId: 'prop2', ...config, [k]: v }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.json()), (body) => assertSafe(createCompetition, {}, body, 201)),
      { numRuns: 200 },
    );
  });

  it('POST /admin/projects/{projectId}/events: a bad or disallowed event is a 4xx that writes nothing', async () => {
    const valid = [
      { type: 'TRANCHE_DISBURSED', milestoneId: 'kickoff', amount: '300000.00' },
      { type: 'MILESTONE_REPORTED', milestoneId: 'delivery', summary: '交付' },
      {
        type: 'FINANCING_RECORDED',
        round: { roundSize: '20000000.00', pricePerShare: '2.5', fullyDilutedShares: '1000000' },
      },
      { type: 'CLOSED_LENIENT', reason: '技术路线调整' },
    ];
    const mutated = fc
      .tuple(
        fc.constantFrom(...valid),
        fc.constantFrom('type', 'milestoneId', 'amount', 'summary', 'round', 'reason', 'extra'),
        fc.jsonValue(),
      )
      .map(([e, k, v]) => JSON.stringify({ ...e, [k]: v }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.json(), fc.constantFrom(...valid.map((v) => JSON.stringify(v)))), (body) =>
        assertSafe(projectEvent, { projectId: `PRJ-${ENTRY}` }, body, 200),
      ),
      { numRuns: 300 },
    );
  });

  it('POST /admin/competitions/{id}/awards/decision: a bad decision is a 4xx and reaches no workflow', async () => {
    const mutated = fc.tuple(fc.constantFrom('action', 'amendments', 'reason', 'extra'), fc.jsonValue()).map(([k, v]) =>
      JSON.stringify({
        action: 'AMEND',
        amendments: [{ op: 'REMOVE', entryId: ENTRY, awardId: 'grand', reason: 'r' }],
        [k]: v,
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutated,
          fc.json(),
          fc.constant(
            JSON.stringify({
              action: 'AMEND',
              amendments: [{ op: 'REMOVE', entryId: ENTRY, awardId: 'grand', reason: '核实' }],
            }),
          ),
        ),
        async (body) => {
          await assertSafe(awardDecision, { competitionId: 'prop' }, body, 202);
          // Sent to the workflow only when accepted (202); one call, one success.
          expect(sfn.commandCalls(SendTaskSuccessCommand).length).toBeLessThanOrEqual(1);
          const sent = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
          if (sent) expect(JSON.parse(sent.output!)).toMatchObject({ action: 'AMEND' });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('POST /competitions/{id}/needs', async () => {
    const paths = [
      'sponsor',
      'sponsor.creditCode',
      'sponsor.region',
      'contact.email',
      'title',
      'field',
      'indicators',
      'intendedInvestment',
      'intendedInvestment.amount',
      'cooperation',
      'answerDeadline',
      'submit',
    ];
    const mutated = fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([path, value]) => {
      const body = structuredClone(validNeed) as Record<string, any>;
      const keys = path.split('.');
      let at = body;
      for (const k of keys.slice(0, -1)) at = at[k];
      at[keys.at(-1)!] = value;
      return JSON.stringify(body);
    });
    const ok = await call(
      postNeed,
      httpEvent({
        method: 'POST',
        params: { competitionId: 'prop' },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(validNeed),
      }),
    );
    expect(ok.status).toBe(201); // the property's base case is a need the route accepts
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.json(), fc.constant(JSON.stringify(validNeed))), (body) =>
        assertSafe(postNeed, { competitionId: 'prop' }, body, 201),
      ),
      { numRuns: 300 },
    );
  });

  it('POST /admin/needs/{id}/decision and the bulk decisions', async () => {
    const decision = fc
      .tuple(fc.constantFrom('PUBLISH', 'RETURN', 'REJECT', 'publish', 1, null), fc.option(fc.jsonValue()))
      .map(([action, reason]) => JSON.stringify(reason === null ? { action } : { action, reason }));
    const ok = await call(
      needDecision,
      httpEvent({
        method: 'POST',
        params: { needId: NEED },
        headers: { 'content-type': 'application/json' },
        body: '{"action":"PUBLISH"}',
      }),
    );
    expect(ok.status).toBe(200);
    await fc.assert(
      fc.asyncProperty(fc.oneof(decision, fc.json()), (body) => assertSafe(needDecision, { needId: NEED }, body, 200)),
      { numRuns: 200 },
    );
    const bulk = fc
      .array(
        fc.record({
          needId: fc.constantFrom(NEED, 'nope', 7),
          action: fc.constantFrom('PUBLISH', 'REJECT'),
          reason: fc.option(fc.string()),
        }),
        { maxLength: 120 },
      )
      .map((decisions) => JSON.stringify({ decisions }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(bulk, fc.json()), (body) =>
        assertSafe(needDecisions, { competitionId: 'prop' }, body, 200),
      ),
      { numRuns: 100 },
    );
  });

  /** Valid `base` with the value at one path replaced by arbitrary JSON, arbitrary JSON, or `base` itself. */
  const around = (base: Record<string, unknown>, paths: string[]) =>
    fc.oneof(
      fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([path, value]) => {
        const body = structuredClone(base) as Record<string, any>;
        const keys = path.split('.');
        let at = body;
        for (const k of keys.slice(0, -1)) at = at[k];
        at[keys.at(-1)!] = value;
        return JSON.stringify(body);
      }),
      fc.json(),
      fc.constant(JSON.stringify(base)),
    );
  const cases: Array<[string, unknown, Record<string, string>, Record<string, unknown>, string[], number, string]> = [
    [
      'POST /needs/{id}/answers/{entryId}/meetings',
      proposeMeeting,
      { needId: PUBLISHED_NEED, entryId: ENTRY },
      validMeeting,
      ['startsAt', 'durationMinutes', 'format', 'link', 'attendees', 'attendees.0.side'],
      201,
      SPONSOR_TOKEN,
    ],
    [
      'POST /entries/{id}/meetings/{meetingId}/response',
      respondMeeting,
      { entryId: ENTRY, meetingId: MEETING },
      { action: 'DECLINE', reason: '时间冲突' },
      ['action', 'reason'],
      200,
      SOLVER_TOKEN,
    ],
    [
      'POST /needs/{id}/answers/{entryId}/meetings/{meetingId}/outcome',
      meetingOutcome,
      { needId: PUBLISHED_NEED, entryId: ENTRY, meetingId: MEETING },
      { outcome: 'CANCELLED', notes: '改期' },
      ['outcome', 'notes'],
      200,
      SPONSOR_TOKEN,
    ],
    [
      'POST /needs/{id}/deals',
      recordDeal,
      { needId: PUBLISHED_NEED },
      validDeal,
      ['entryId', 'contractType', 'amount', 'amount.amount', 'signedOn', 'landing', 'landing.region'],
      201,
      SPONSOR_TOKEN,
    ],
    [
      'POST /admin/needs/{id}/deals',
      adminRecordDeal,
      { needId: PUBLISHED_NEED },
      validDeal,
      ['entryId', 'amount', 'amount.currency', 'signedOn', 'landing.city', 'note'],
      201,
      '',
    ],
    [
      'POST /needs/{id}/deals/{dealId}/corrections',
      correctDeal,
      { needId: PUBLISHED_NEED, dealId: DEAL },
      { status: 'WITHDRAWN', reason: '双方协议解除' },
      ['status', 'reason', 'landing', 'signedOn'],
      200,
      SPONSOR_TOKEN,
    ],
    [
      'PUT /needs/{id}/experts',
      nominateExperts,
      { needId: PUBLISHED_NEED },
      { experts: ['prof@example.edu'] },
      ['experts', 'experts.0'],
      200,
      SPONSOR_TOKEN,
    ],
    [
      'POST /projects/{id}/milestones/{milestoneId}/report (the project manager)',
      reportMilestone,
      { projectId: `PRJ-${ENTRY}`, milestoneId: 'delivery' },
      { summary: '交付完成，验收材料齐全' },
      ['summary'],
      200,
      MANAGER_TOKEN,
    ],
    [
      'POST /admin/competitions/{id}/rounds/{roundId}/expert-links',
      renewExpertLink,
      { competitionId: 'prop', roundId: 'preliminary' },
      { expertEmail: 'wang@example.com' },
      ['expertEmail'],
      202,
      '',
    ],
    [
      'POST /admin/needs/{id}/deals/{dealId}/corrections',
      adminCorrectDeal,
      { needId: PUBLISHED_NEED, dealId: DEAL },
      { amount: { amount: '600000', currency: 'CNY' }, reason: '补充协议' },
      ['amount', 'amount.amount', 'reason', 'status'],
      200,
      '',
    ],
  ];
  for (const [name, handler, params, base, paths, okStatus, token] of cases)
    it(name, async () => {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      // The property's base case is a body the route accepts.
      const ok = await call(
        handler,
        httpEvent({
          method: 'POST',
          params,
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(base),
        }),
      );
      expect(ok.status, JSON.stringify(ok.body)).toBe(okStatus);
      await fc.assert(
        fc.asyncProperty(around(base, paths), (body) => assertSafe(handler, params, body, okStatus, headers)),
        { numRuns: 150 },
      );
    });
});
