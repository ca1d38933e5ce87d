import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { demoEntry } from '../../infra/local/demo.ts';
import { competitionFixture } from '../fixtures/competition.ts';
import { needBody } from '../fixtures/needs.ts';
import { deliveredOutbox } from '../fixtures/mail.ts';
import { documentClient, PDF, postForm } from '../fixtures/documents.ts';
import { personalStrings, publicResponses } from '../fixtures/privacy.ts';
import { rawDynamo, startTestStack, type TestStack } from '../fixtures/local-stack.ts';
import { getAssignment } from '../../functions/store/reviews.ts';

/**
 * The end of a competition on the local stack, through the synthesized award
 * and hand-off state machines: the proposal, an amendment and an approval
 * (the approval sent like `aws stepfunctions send-task-success`), the challenge
 * sponsor's confirmation through its signed link, publication (public list,
 * the applicant's result, the CSV), the winner accepting the appointment, the
 * special review meeting approving funding, a milestone paid and a financing
 * round converting the grant into equity.
 */
let s: TestStack;
let sfn: SFNClient;
const CID = 'aw-e2e';
const ids: Record<string, { entryId: string; token: string }> = {};
/** The challenge solver's business plan, which the sponsor reads before confirming. */
const SOLUTION_PDF = Buffer.concat([PDF, Buffer.from('% 药丁公司的方案\n')]);

const post = async (url: string, form: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
/** A stage's messages with each link as its recipient got it (the outbox itself keeps no working link). */
const outbox = (stage: string) => deliveredOutbox(s, CID, stage);

/** A competition through intake and its only review round (the preliminary, so awards come from it). */
const setupCompetition = async (
  cid: string,
  out: Record<string, { entryId: string; token: string }>,
  funding: Record<string, unknown> = {},
  /** An entry (by key) that answers an AI need a company posted (揭榜). */
  answersNeed?: string,
) => {
  const CID = cid;
  const ids = out;
  const now = Date.now();
  const base = competitionFixture({ id: CID, deadline: now + 4000 });
  const iso = (t: number) => new Date(t).toISOString();
  const config = {
    ...base,
    // The preliminary is the last review round here, so the awards come from it.
    rounds: [
      base.rounds[0],
      {
        ...(base.rounds[1] as object),
        reviewOpensAt: iso(now + 4001),
        reviewClosesAt: iso(now + 600_000),
        reviewersPerEntry: 2,
        aggregation: { kind: 'mean' },
        advancement: {},
      },
    ],
    awardPlan: {
      ...base.awardPlan,
      funding: { ...base.awardPlan.funding, ...funding },
      tiers: [
        {
          tierId: 'grand',
          name: { zh: '特等奖', en: 'Grand prize' },
          count: 1,
          scope: 'OVERALL',
          funded: true,
          grant: { amount: '5000000.00', currency: 'CNY' },
        },
        { tierId: 'first', name: { zh: '一等奖', en: 'First prize' }, count: 1, scope: 'PER_TRACK', funded: false },
      ],
      specialAwards: [
        {
          awardId: 'original-innovation',
          name: { zh: '原始创新奖', en: 'Original innovation' },
          rule: { kind: 'BEST_ON_CRITERION', criterionId: 'innovation' },
          mayCombineWithTier: true,
        },
      ],
    },
  };
  expect((await s.req('POST', '/admin/competitions', { admin: true, body: config })).status).toBe(201);
  let needId: string | undefined;
  if (answersNeed) {
    const posted = await s.req('POST', `/competitions/${CID}/needs`, {
      body: {
        ...needBody(900, { field: 'AI', title: { zh: '港口集卡调度算法', en: 'Port truck dispatch' } }),
        answerDeadline: base.rounds[0]!.submissionDeadline,
        submit: true,
      },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    needId = posted.body.need.needId;
    await s.req('POST', `/admin/needs/${needId}/decision`, { admin: true, body: { action: 'PUBLISH' } });
  }
  for (const [key, trackId, org] of [
    ['A', 'ic', '芯甲公司'],
    ['B', 'ic', '芯乙公司'],
    ['C', 'ai', '智丙公司'],
    ['D', 'biomed-need-01', '药丁公司'],
  ] as const) {
    const r = await s.req('POST', `/competitions/${CID}/entries`, {
      body: demoEntry({
        trackId,
        ...(key === answersNeed ? { needId } : {}),
        title: `${org}的方案`,
        solution: '方案',
        applicant: {
          ...demoEntry().applicant,
          organizationName: org,
          lead: { name: `${key}负责人`, email: `lead-${key.toLowerCase()}@example.com` },
        },
      }),
    });
    expect(r.status).toBe(201);
    ids[key] = { entryId: r.body.entry.entryId, token: r.body.accessToken };
    // The challenge solver and one open-track entry upload a business plan before the deadline.
    if (key === 'B' || key === 'D') await documentClient(s).upload(ids[key], key === 'D' ? SOLUTION_PDF : PDF);
  }
  const intake = await s.req('POST', `/admin/competitions/${CID}/rounds/intake/start`, { admin: true });
  expect((await s.sfn.waitFor(intake.body.executionArn, 60_000)).status).toBe('SUCCEEDED');
  const round = await s.req('POST', `/admin/competitions/${CID}/rounds/preliminary/start`, { admin: true });
  for (
    let k = 0;
    (await s.req('GET', `/admin/competitions/${CID}/rounds/preliminary`, { admin: true })).body.run?.status !==
    'REVIEWING';
    k++
  ) {
    if (k > 100) throw new Error('the preliminary round did not start reviewing');
    await new Promise((r) => setTimeout(r, 200));
  }
  const score = new Map([
    [ids.A!.entryId, 90],
    [ids.B!.entryId, 80],
    [ids.C!.entryId, 85],
    [ids.D!.entryId, 70],
  ]);
  for (const m of await outbox2(CID, 'preliminary')) {
    for (const l of m.links) {
      const a = (await getAssignment(l.assignmentId))!;
      const v = String(score.get(a.entryId));
      expect(
        (
          await post(l.url!, {
            action: 'submit',
            'score.innovation': v,
            'score.feasibility': v,
            'score.market': v,
            'score.team': v,
          })
        ).status,
      ).toBe(303);
    }
  }
  expect((await s.sfn.waitFor(round.body.executionArn, 30_000)).status).toBe('SUCCEEDED');
};

beforeAll(async () => {
  s = await startTestStack();
  sfn = new SFNClient({
    endpoint: s.sfnEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const experts = Array.from({ length: 4 }, (_, k) => ({
    email: `judge${k}@example.com`,
    name: `评委${k}`,
    institution: `评审院${k}`,
    fields: ['IC', 'AI', 'BIOMED'],
    languages: ['zh'],
    maxLoadPerRound: 20,
  }));
  expect((await s.req('POST', '/admin/experts', { admin: true, body: { experts } })).status).toBe(200);

  await setupCompetition(CID, ids);
}, 180_000);
afterAll(async () => s?.stop());

describe('awards and the hand-off into a funded project', () => {
  let awardExecution: string;

  it('computes the proposal and waits for the organizer, with the decision token visible to the CLI', async () => {
    const start = await s.req('POST', `/admin/competitions/${CID}/awards/start`, { admin: true });
    expect(start.status).toBe(202);
    awardExecution = start.body.executionArn;
    await expect
      .poll(
        async () => {
          const x = s.sfn.describeExecution(awardExecution);
          if (x.status !== 'RUNNING') throw new Error(`award execution ${x.status}: ${x.error} ${x.cause}`);
          return (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body.awards
            ?.pendingDecisionToken;
        },
        { timeout: 30_000 },
      )
      .toBeTruthy();
    const { awards } = (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body;
    expect(awards.proposal.ranking.map((r: { entryId: string }) => r.entryId)).toEqual(
      [ids.A, ids.C, ids.B, ids.D].map((x) => x!.entryId),
    );
    const held = (awardId: string) =>
      awards.proposal.awards
        .filter((a: { awardId: string }) => a.awardId === awardId)
        .map((a: { entryId: string }) => a.entryId);
    expect(held('grand')).toEqual([ids.A!.entryId]);
    expect(held('first').sort()).toEqual([ids.B, ids.C, ids.D].map((x) => x!.entryId).sort());
    expect(held('original-innovation')).toEqual([ids.A!.entryId]);
  });

  it('refuses an amendment that breaks the rules (422, nothing sent), then amends with a reason', async () => {
    const bad = await s.req('POST', `/admin/competitions/${CID}/awards/decision`, {
      admin: true,
      body: {
        action: 'AMEND',
        amendments: [{ op: 'ADD', entryId: ids.B!.entryId, awardId: 'grand', reason: '想再加一个' }],
      },
    });
    expect([bad.status, bad.body.error.details.issues[0].code]).toEqual([422, 'ALREADY_HOLDS_TIER']);
    const noReason = await s.req('POST', `/admin/competitions/${CID}/awards/decision`, {
      admin: true,
      body: {
        action: 'AMEND',
        amendments: [{ op: 'REMOVE', entryId: ids.A!.entryId, awardId: 'original-innovation' }],
      },
    });
    expect(noReason.status).toBe(422);
    const before = (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body.awards
      .pendingDecisionToken;
    const ok = await s.req('POST', `/admin/competitions/${CID}/awards/decision`, {
      admin: true,
      body: {
        action: 'AMEND',
        amendments: [
          { op: 'REMOVE', entryId: ids.A!.entryId, awardId: 'original-innovation', reason: '一项成果不重复奖励' },
          { op: 'ADD', entryId: ids.C!.entryId, awardId: 'original-innovation', reason: '算法原创性突出' },
        ],
      },
    });
    expect(ok.status).toBe(202);
    await expect
      .poll(
        async () =>
          (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body.awards?.pendingDecisionToken,
        { timeout: 30_000 },
      )
      .not.toBe(before);
    const { awards } = (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body;
    expect(
      awards.proposal.awards
        .filter((a: { awardId: string }) => a.awardId === 'original-innovation')
        .map((a: { entryId: string }) => a.entryId),
    ).toEqual([ids.C!.entryId]);
    expect(
      awards.history
        .filter((h: { action: string }) => h.action.startsWith('AMENDED'))
        .map((h: { action: string; reason: string; by: string }) => [h.action, h.reason, h.by]),
    ).toEqual([
      ['AMENDED_REMOVE', '一项成果不重复奖励', 'arn:aws:iam::000000000000:user/local-admin'],
      ['AMENDED_ADD', '算法原创性突出', 'arn:aws:iam::000000000000:user/local-admin'],
    ]);
  });

  it('approves like the AWS CLI does, asks the challenge sponsor, and publishes once the sponsor confirms', async () => {
    const token = (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body.awards
      .pendingDecisionToken;
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({
          action: 'APPROVE',
          by: 'arn:aws:iam::000000000000:user/organizer',
          reason: '评奖委员会审定',
        }),
      }),
    );
    await expect
      .poll(async () => (await outbox('awards')).filter((m) => m.kind === 'SPONSOR_CONFIRMATION'), { timeout: 30_000 })
      .toHaveLength(1);
    const [request] = (await outbox('awards')).filter((m) => m.kind === 'SPONSOR_CONFIRMATION');
    expect(request!.expertEmail).toBe('needs@example.com');
    const page = await fetch(request!.links[0]!.url!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('药丁公司的方案');
    // The sponsor reads the winning solution's business plan through its own link (揭榜挂帅).
    const [solution] = await documentClient(s).list(ids.D!);
    const href = new URL(`${new URL(request!.links[0]!.url!).pathname}/documents/${solution!.documentId}`, s.apiUrl);
    expect(html).toContain(`${href.pathname}`);
    const opened = await fetch(href, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const bytes = Buffer.from(await (await fetch(opened.headers.get('location')!)).arrayBuffer());
    expect(bytes.equals(SOLUTION_PDF)).toBe(true);
    // … and nothing of an entry its track did not award.
    const [other] = await documentClient(s).list(ids.B!);
    const refused = await fetch(new URL(`${href.pathname.replace(/[^/]+$/, '')}${other!.documentId}`, s.apiUrl));
    expect(refused.status).toBe(404);
    const { accesses } = (await s.req('GET', `/admin/entries/${ids.D!.entryId}/documents`, { admin: true })).body;
    expect(accesses).toEqual([
      expect.objectContaining({
        reader: 'SPONSOR',
        trackId: 'biomed-need-01',
        sponsorEmail: 'needs@example.com',
        documentId: solution!.documentId,
      }),
    ]);
    const tampered = await fetch(`${request!.links[0]!.url!.slice(0, -3)}AAA`);
    expect(tampered.status).toBe(404);
    expect((await post(request!.links[0]!.url!, { action: 'decline' })).status).toBe(422); // a reason is required
    expect((await post(request!.links[0]!.url!, { action: 'confirm' })).status).toBe(303);
    expect((await post(request!.links[0]!.url!, { action: 'confirm' })).status).toBe(303); // the same answer again: harmless
    const done = await s.sfn.waitFor(awardExecution, 30_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ published: 5, handOffs: 1, handOffsStarted: 1 });
    const { awards } = (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body;
    expect(awards.history.map((h: { action: string }) => h.action)).toEqual([
      'PROPOSED',
      'AMENDED_REMOVE',
      'AMENDED_ADD',
      'APPROVED',
      'SPONSOR_CONFIRMATION_REQUESTED',
      'SPONSOR_CONFIRMED',
      'PUBLISHED',
    ]);
    expect(awards.history.find((h: { action: string }) => h.action === 'APPROVED')).toMatchObject({
      by: 'arn:aws:iam::000000000000:user/organizer',
      reason: '评奖委员会审定',
    });
  });

  it('shows nothing personal on any public route: no organizer, sponsor or applicant e-mail or phone', async () => {
    const { competition } = (await s.req('GET', `/admin/competitions/${CID}`, { admin: true })).body;
    // The organizer's view holds contacts (so the walk below would find them if they leaked) …
    expect(personalStrings(JSON.stringify(competition))).toEqual(
      expect.arrayContaining(['needs@example.com', 'office@example.com']),
    );
    const walked = await publicResponses(s, CID);
    expect(walked.map((r) => [r.path, r.status])).toEqual(
      expect.arrayContaining([
        [`/competitions/${CID}`, 200],
        [`/competitions/${CID}/results`, 200],
        ['/competitions', 200],
      ]),
    );
    // … and no public answer does.
    for (const r of walked)
      expect({ path: r.path, personal: personalStrings(r.text) }).toEqual({ path: r.path, personal: [] });
  });

  it('shows the results: the public list, each applicant’s own result, and the CSV with per-criterion scores', async () => {
    const pub = await s.req('GET', `/competitions/${CID}/results`);
    expect(pub.status).toBe(200);
    expect(pub.body.awards.find((a: { awardId: string }) => a.awardId === 'grand')).toMatchObject({
      entryId: ids.A!.entryId,
      title: '芯甲公司的方案',
      organizationName: '芯甲公司',
      awardName: { zh: '特等奖' },
    });
    const mine = await s.req('GET', `/entries/${ids.A!.entryId}`, { token: ids.A!.token });
    expect(mine.body.result).toMatchObject({
      finalist: true,
      rank: 1,
      score: 90,
      awards: [{ awardId: 'grand', kind: 'TIER' }],
    });
    const csv = await fetch(`${s.apiUrl}/admin/competitions/${CID}/results.csv`, {
      headers: { 'x-admin-key': 'test-admin-key-0123456789' },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'rank,trackRank,trackId,entryId,title,organization,score,mean.innovation,mean.feasibility,mean.market,mean.team,awards',
    );
    expect(lines[1]).toBe(`1,1,ic,${ids.A!.entryId},芯甲公司的方案,芯甲公司,90,90,90,90,90,grand`);
    expect(lines).toHaveLength(5);
  });

  let projectId: string;
  /** The project manager's workspace link (its last part is the bearer token of the manager's API). */
  let workspace: string;
  it('replays the awards from the audit record — proposal, amendments, publication — and names a publication bent in DynamoDB', async () => {
    const replay = async () =>
      (await s.req('GET', `/admin/competitions/${CID}/rounds/awards/replay`, { admin: true })).body;
    const clean = await replay();
    expect(clean).toMatchObject({ matches: true, finalRoundId: 'preliminary', published: 5, differences: 0 });
    expect(clean.steps.map((x: { type: string }) => x.type)).toEqual([
      'AWARDS_PROPOSED',
      'AWARDS_AMENDED_ADD', // one decision, two amendments (REMOVE, then ADD): one record
      'AWARDS_APPROVED',
      'AWARDS_SPONSOR_CONFIRMATION_REQUESTED',
      'AWARDS_SPONSOR_CONFIRMED',
      'AWARDS_PUBLISHED',
      'AWARDS_PUBLISHED:published',
    ]);
    // Someone with table access drops an award from the stored publication: the replay names it.
    const ddb = DynamoDBDocumentClient.from(rawDynamo(s));
    const Key = { pk: `COMP#${CID}`, sk: 'AWARDS' };
    const { Item } = await ddb.send(new GetCommand({ TableName: s.tableName, Key }));
    await ddb.send(new PutCommand({ TableName: s.tableName, Item: { ...Item, published: Item!.published.slice(1) } }));
    const bent = await replay();
    expect(bent).toMatchObject({
      matches: false,
      firstDifferences: ['the stored publication differs from the replayed one'],
    });
    await ddb.send(new PutCommand({ TableName: s.tableName, Item }));
    expect((await replay()).matches).toBe(true);
  });

  it('appoints the winner’s lead as project manager through a signed link, then waits for the special review meeting', async () => {
    await expect
      .poll(async () => (await outbox('handoff')).filter((m) => m.kind === 'APPOINTMENT'), { timeout: 30_000 })
      .toHaveLength(1);
    const [offer] = (await outbox('handoff')).filter((m) => m.kind === 'APPOINTMENT');
    expect(offer!.expertEmail).toBe('lead-a@example.com');
    const page = await (await fetch(offer!.links[0]!.url!)).text();
    expect(page).toContain('项目经理聘任');
    expect(page).toContain('5000000.00 CNY');
    expect((await post(offer!.links[0]!.url!, { action: 'accept' })).status).toBe(303);
    expect((await post(offer!.links[0]!.url!, { action: 'accept' })).status).toBe(303); // the same answer: harmless
    expect((await post(offer!.links[0]!.url!, { action: 'decline' })).status).toBe(409); // answered already
    // Accepting hands the manager their workspace: on the appointment page, and once by mail.
    const accepted = await (await fetch(offer!.links[0]!.url!)).text();
    const onPage = /href="(\/project-manager\/[^"]+)"/.exec(accepted)?.[1];
    expect(onPage).toBeTruthy();
    await expect
      .poll(async () => (await outbox('handoff')).filter((m) => m.kind === 'PROJECT_WORKSPACE'), { timeout: 30_000 })
      .toHaveLength(1);
    const [mailed] = (await outbox('handoff')).filter((m) => m.kind === 'PROJECT_WORKSPACE');
    expect(mailed).toMatchObject({
      expertEmail: 'lead-a@example.com',
      links: [{ purpose: 'project-manager', version: 1 }],
    });
    expect(mailed!.links[0]!.path).toBe(onPage);
    workspace = onPage!;
    const list = (await s.req('GET', `/admin/projects?competitionId=${CID}`, { admin: true })).body.items;
    expect(list).toHaveLength(1);
    projectId = list[0].projectId;
    await expect
      .poll(
        async () =>
          (await s.req('GET', `/admin/projects/${projectId}`, { admin: true })).body.project.pendingMeetingToken,
        { timeout: 30_000 },
      )
      .toBeTruthy();
    const { project } = (await s.req('GET', `/admin/projects/${projectId}`, { admin: true })).body;
    expect(project).toMatchObject({
      status: 'PENDING_MEETING',
      manager: { email: 'lead-a@example.com' },
      requestedAmount: '5000000.00',
    });
    // Nothing can be paid before the meeting approves the funding.
    const early = await s.req('POST', `/admin/projects/${projectId}/events`, {
      admin: true,
      body: { type: 'MILESTONE_REPORTED', milestoneId: 'kickoff', summary: '启动' },
    });
    expect([early.status, early.body.error.details.allowed]).toEqual([409, ['MEETING_APPROVED', 'MEETING_REJECTED']]);
  });

  it('activates the project with the amount the meeting approved, pays a milestone, and converts the grant on a financing round', async () => {
    const meeting = await s.req('POST', `/admin/projects/${projectId}/meeting`, {
      admin: true,
      body: { decision: 'APPROVE', amount: '4000000.00', minutes: '2026 年第 3 次专题会：同意立项，资助 400 万元' },
    });
    expect(meeting.status).toBe(202);
    const handOff = s.sfn.listExecutions(s.handOffStateMachineArn)[0]!;
    expect((await s.sfn.waitFor(handOff.executionArn, 30_000)).status).toBe('SUCCEEDED');
    let { project } = (await s.req('GET', `/admin/projects/${projectId}`, { admin: true })).body;
    // 30 % / 40 % / 30 % of 4,000,000.00.
    expect(project).toMatchObject({ status: 'ACTIVE', approvedAmount: '4000000.00' });
    expect(project.milestones.map((m: { trancheAmount: string }) => m.trancheAmount)).toEqual([
      '1200000.00',
      '1600000.00',
      '1200000.00',
    ]);

    const event = (body: unknown) => s.req('POST', `/admin/projects/${projectId}/events`, { admin: true, body });
    const tooSoon = await event({ type: 'TRANCHE_DISBURSED', milestoneId: 'kickoff', amount: '1200000.00' });
    expect([tooSoon.status, tooSoon.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);

    // The manager reports through their API (bearer: the workspace token); the organizer returns the report.
    const token = workspace.split('/').pop()!;
    const mine = () => s.req('GET', `/projects/${projectId}`, { token });
    const report = (milestoneId: string, summary: unknown, key: string, documents?: unknown[]) =>
      s.req('POST', `/projects/${projectId}/milestones/${milestoneId}/report`, {
        token,
        body: { summary, ...(documents ? { documents } : {}) },
        headers: { 'idempotency-key': key },
      });
    const file = { type: 'TECHNICAL_PROPOSAL', fileName: '设备清单.pdf', contentType: 'application/pdf' };
    expect((await s.req('GET', `/projects/${projectId}`)).status).toBe(401);
    expect((await s.req('GET', `/projects/${projectId}`, { token: `${token.slice(0, -3)}AAA` })).status).toBe(404);
    expect((await s.req('GET', `/projects/PRJ-${'0'.repeat(26)}`, { token })).status).toBe(404); // not theirs
    expect((await report('kickoff', '   ', 'pm-report-blank')).status).toBe(422);
    expect((await report('nope', '不存在', 'pm-report-unknown')).status).toBe(409);
    expect((await mine()).body.project.milestones[0]).toMatchObject({ status: 'PLANNED', reportable: true });
    // A file over the competition's limit: 422 naming it, and nothing reported.
    const tooBig = await report('kickoff', '团队组建完成', 'pm-report-big', [{ ...file, size: 10 ** 12 }]);
    expect([tooBig.status, tooBig.body.error.details.issues[0].path]).toEqual([422, 'documents.0.size']);
    expect((await mine()).body.project.milestones[0].status).toBe('PLANNED');
    const reported = await report('kickoff', '团队组建完成', 'pm-report-0001', [{ ...file, size: PDF.length }]);
    expect(reported.status).toBe(200);
    expect(reported.body.project.milestones[0]).toMatchObject({ status: 'REPORTED', reportable: false });
    const retried = await report('kickoff', '团队组建完成', 'pm-report-0001', [{ ...file, size: PDF.length }]);
    expect(retried.body).toEqual(reported.body); // a retry: the first answer
    // Under another key, the same report again writes nothing more and names the same file.
    const again = await report('kickoff', '团队组建完成', 'pm-report-0002', [{ ...file, size: PDF.length }]);
    expect(again.body.uploads[0].document.documentId).toBe(reported.body.uploads[0].document.documentId);
    // The file goes to S3 through its form and is scanned like an entry's document.
    expect((await postForm(reported.body.uploads[0].upload, PDF)).status).toBe(204);
    await expect
      .poll(async () => (await mine()).body.project.milestones[0].documents, { timeout: 30_000 })
      .toEqual([expect.objectContaining({ fileName: '设备清单.pdf', status: 'CLEAN' })]);
    const { entryId } = (await s.req('GET', `/admin/projects/${projectId}`, { admin: true })).body.project;
    const organizerSees = (await s.req('GET', `/admin/entries/${entryId}/documents`, { admin: true })).body;
    expect(JSON.stringify(organizerSees)).toContain('"milestoneId":"kickoff"');
    expect(
      (await event({ type: 'MILESTONE_REPORT_RETURNED', milestoneId: 'kickoff', reason: '请补充设备清单' })).status,
    ).toBe(200);
    expect((await mine()).body.project.milestones[0]).toMatchObject({
      status: 'PLANNED',
      returned: { reason: '请补充设备清单' },
      reportable: true,
    });
    // …and reports again from the workspace page, which shows the organizer's reason.
    const pageBefore = await (await fetch(`${s.apiUrl}${workspace}`)).text();
    expect(pageBefore).toContain('请补充设备清单');
    expect(
      (await post(`${s.apiUrl}${workspace}`, { action: 'report', milestoneId: 'kickoff', summary: '' })).status,
    ).toBe(422);
    const form = { action: 'report', milestoneId: 'kickoff', summary: '团队组建完成，设备到位（清单见附件）' };
    expect((await post(`${s.apiUrl}${workspace}`, form)).status).toBe(303);
    expect((await post(`${s.apiUrl}${workspace}`, form)).status).toBe(303); // sent twice: one report
    const log = (await s.req('GET', `/admin/projects/${projectId}`, { admin: true })).body.project.log;
    expect(log.filter((l: { event: string }) => l.event === 'MILESTONE_REPORTED')).toHaveLength(2);
    expect(log.at(-1)).toMatchObject({ event: 'MILESTONE_REPORTED', by: 'manager:lead-a@example.com' });
    // Returned once more, the first report is sent again with its file: a new record for the new report.
    expect(
      (await event({ type: 'MILESTONE_REPORT_RETURNED', milestoneId: 'kickoff', reason: '以 API 版本为准' })).status,
    ).toBe(200);
    const third = await report('kickoff', '团队组建完成', 'pm-report-0003', [{ ...file, size: PDF.length }]);
    expect(third.status).toBe(200);
    expect(third.body.uploads[0].document.documentId).not.toBe(reported.body.uploads[0].document.documentId);
    expect(third.body.uploads[0].upload).toBeDefined();
    // A report already made takes no new files.
    const extra = await report('kickoff', '团队组建完成', 'pm-report-0004', [
      { ...file, fileName: '另一份.pdf', size: 9 },
    ]);
    expect([extra.status, extra.body.error.code]).toEqual([409, 'REPORT_ALREADY_SENT']);
    expect((await event({ type: 'MILESTONE_ACCEPTED', milestoneId: 'kickoff' })).status).toBe(200);
    const over = await event({ type: 'TRANCHE_DISBURSED', milestoneId: 'kickoff', amount: '1200000.01' });
    expect([over.status, over.body.error.code]).toEqual([409, 'BUDGET_EXCEEDED']);
    expect(
      (
        await event({
          type: 'TRANCHE_DISBURSED',
          milestoneId: 'kickoff',
          amount: '1200000.00',
          reference: 'PAY-2026-001',
        })
      ).body.project.disbursed,
    ).toBe('1200000.00');
    const bad = await event({
      type: 'FINANCING_RECORDED',
      round: {
        roundSize: '20000000.00',
        preMoneyValuation: '100000000.00',
        pricePerShare: '10',
        fullyDilutedShares: '10000000',
      },
    });
    expect(bad.status).toBe(422);
    // Cap 60,000,000 ÷ 10,000,000 = 6.00 beats 8.00 (20 % discount) and 10.00: floor(1,200,000 ÷ 6) = 200,000 shares;
    // ownership 200,000 ÷ (10,000,000 + 2,000,000 + 200,000) = 1.6393 %.
    project = (
      await event({
        type: 'FINANCING_RECORDED',
        round: { roundSize: '20000000.00', preMoneyValuation: '100000000.00', fullyDilutedShares: '10000000' },
        investor: '长三角某产业基金',
      })
    ).body.project;
    expect(project.status).toBe('CONVERTED');
    expect(project.conversion).toMatchObject({
      conversionPrice: '6.000000',
      appliedTerm: 'VALUATION_CAP',
      shares: '200000',
      unconvertedRemainder: '0.00',
      ownershipPercent: '1.6393',
    });
    expect(project.conversion.arithmetic.length).toBeGreaterThan(4);
    // The manager sees the payment and the conversion with its arithmetic, on the API and the page.
    // The organizer renews the workspace link (lost or leaked): the old token answers 410, the mailed one works.
    const renewed = await s.req('POST', `/admin/projects/${projectId}/workspace-link`, {
      admin: true,
      headers: { 'idempotency-key': 'renew-workspace-1' },
    });
    expect(renewed.status).toBe(202);
    expect(renewed.body).toMatchObject({ linkVersion: 2, sentTo: 'lead-a@example.com' });
    expect((await mine()).status).toBe(410);
    expect((await fetch(`${s.apiUrl}${workspace}`)).status).toBe(410);
    await expect
      .poll(async () => (await outbox('handoff')).filter((m) => m.kind === 'PROJECT_WORKSPACE').length, {
        timeout: 30_000,
      })
      .toBe(2);
    const fresh = (await outbox('handoff')).find((m) => m.kind === 'PROJECT_WORKSPACE' && m.links[0]!.version === 2)!;
    workspace = fresh.links[0]!.path!;
    const freshToken = workspace.split('/').pop()!;
    const seen = (await s.req('GET', `/projects/${projectId}`, { token: freshToken })).body.project;
    expect(seen).toMatchObject({
      status: 'CONVERTED',
      disbursed: '1200000.00',
      milestones: [
        { milestoneId: 'kickoff', status: 'PAID', paid: { amount: '1200000.00', reference: 'PAY-2026-001' } },
        {},
        {},
      ],
      conversion: { shares: '200000', arithmetic: project.conversion.arithmetic },
    });
    expect(JSON.stringify(seen)).not.toMatch(/TaskToken|"by"/);
    const pageAfter = await (await fetch(`${s.apiUrl}${workspace}?lang=en`)).text();
    expect(pageAfter).toContain('Conversion into equity');
    expect(pageAfter).toContain('200000</b> shares at 6.000000');

    const portfolio = (await s.req('GET', `/admin/portfolio?competitionId=${CID}`, { admin: true })).body.portfolio;
    expect(portfolio).toMatchObject({
      projectsSupported: 1,
      convertedToEquity: 1,
      grantApproved: '4000000.00',
      grantDisbursed: '1200000.00',
      grantConverted: '1200000.00',
      socialCapitalAttracted: '20000000.00',
      closedLeniently: 0,
    });
  });

  it('mails the sponsor and the appointee through the outbox (stream → delivery → SES)', async () => {
    await expect
      .poll(() => s.mail.list().filter((m) => m.to[0] === 'needs@example.com').length, { timeout: 30_000 })
      .toBe(1);
    const appointments = s.mail.list().filter((m) => m.subject.includes('项目经理聘任'));
    expect(appointments.map((m) => m.to[0])).toEqual(['lead-a@example.com']);
  });

  it('tells each applicant once per event: submitted, screening result, the round’s outcome, each award won', async () => {
    const { awards } = (await s.req('GET', `/admin/competitions/${CID}/awards`, { admin: true })).body;
    const published = awards.published as Array<{ entryId: string; awardId: string }>;
    const decisions = await s.all(`/admin/competitions/${CID}/rounds/preliminary/decisions`, { admin: true });
    const expected = (key: string) => {
      const entryId = ids[key]!.entryId;
      const decision = decisions.find((d: { entryId: string }) => d.entryId === entryId);
      return [
        '申报已提交',
        '形式审查结果',
        ...(decision ? ['初赛（网评）结果'] : []),
        ...published.filter((a) => a.entryId === entryId).map(() => '获奖通知'),
      ].sort();
    };
    // Every applicant's mail names its entry; the subjects say which event it was.
    const received = (key: string) =>
      s.mail
        .list()
        .filter((m) => m.text.includes(ids[key]!.entryId))
        .map((m) => /申报已提交|形式审查结果|初赛（网评）结果|获奖通知/.exec(m.subject)?.[0] ?? m.subject)
        .sort();
    for (const key of ['A', 'B', 'C', 'D']) {
      await expect.poll(() => received(key), { timeout: 30_000 }).toEqual(expected(key));
      expect(
        s.mail
          .list()
          .filter((m) => m.text.includes(ids[key]!.entryId))
          .every((m) => m.to[0] === `lead-${key.toLowerCase()}@example.com`),
      ).toBe(true);
    }
    // The winner of the grand prize hears of it in its language, with the rules of what comes next.
    const grand = s.mail.list().find((m) => m.text.includes(ids.A!.entryId) && m.text.includes('特等奖'));
    expect(grand?.subject).toContain('获奖通知');
    // No message carries an access token (the submission notice only reminds the applicant of it).
    for (const key of ['A', 'B', 'C', 'D'])
      for (const m of s.mail.list()) expect(m.text).not.toContain(ids[key]!.token);
    const submitted = s.mail.list().find((m) => m.text.includes(ids.B!.entryId) && m.subject.includes('申报已提交'));
    expect(submitted?.text).toContain('访问令牌');
  });
});

describe('awards: reject and recompute, a sponsor who declines, an appointment that times out', () => {
  const cid = 'aw-alt';
  const alt: Record<string, { entryId: string; token: string }> = {};
  it('recomputes after a rejection, withholds the challenge award the sponsor declined, and tells the organizer when the appointee does not answer', async () => {
    // The appointee has 0.001 h (3.6 s) to answer.
    await setupCompetition(cid, alt, { appointmentHours: 0.001, organizerEmail: 'office@example.com' });
    const start = await s.req('POST', `/admin/competitions/${cid}/awards/start`, { admin: true });
    const pending = async () =>
      (await s.req('GET', `/admin/competitions/${cid}/awards`, { admin: true })).body.awards?.pendingDecisionToken;
    await expect.poll(pending, { timeout: 30_000 }).toBeTruthy();
    const first = await pending();
    expect(
      (
        await s.req('POST', `/admin/competitions/${cid}/awards/decision`, {
          admin: true,
          body: { action: 'REJECT', reason: '请核对决赛成绩后重新生成' },
        })
      ).status,
    ).toBe(202);
    await expect.poll(pending, { timeout: 30_000 }).not.toBe(first);
    await expect.poll(pending, { timeout: 30_000 }).toBeTruthy();
    const { awards } = (await s.req('GET', `/admin/competitions/${cid}/awards`, { admin: true })).body;
    expect(awards.proposalVersion).toBe(2);
    expect(awards.history.map((h: { action: string }) => h.action)).toEqual(['PROPOSED', 'REJECTED', 'RECOMPUTED']);
    // A decision the CLI could send that is not valid is recorded, and the workflow waits again.
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: await pending(), output: JSON.stringify({ action: 'MAYBE' }) }),
    );
    await expect
      .poll(
        async () =>
          (await s.req('GET', `/admin/competitions/${cid}/awards`, { admin: true })).body.awards.history.at(-1).action,
        { timeout: 30_000 },
      )
      .toBe('INVALID_DECISION');
    await expect.poll(pending, { timeout: 30_000 }).toBeTruthy();
    expect(
      (await s.req('POST', `/admin/competitions/${cid}/awards/decision`, { admin: true, body: { action: 'APPROVE' } }))
        .status,
    ).toBe(202);

    await expect
      .poll(async () => (await outbox2(cid, 'awards')).filter((m) => m.kind === 'SPONSOR_CONFIRMATION'), {
        timeout: 30_000,
      })
      .toHaveLength(1);
    const [request] = (await outbox2(cid, 'awards')).filter((m) => m.kind === 'SPONSOR_CONFIRMATION');
    const declined = await post(request!.links[0]!.url!, {
      action: 'decline',
      reason: '方案未满足日处理 10 万克隆的要求',
    });
    expect([declined.status, declined.status === 303 ? '' : await declined.text()]).toEqual([303, '']);
    expect((await post(request!.links[0]!.url!, { action: 'confirm' })).status).toBe(409); // no change of mind after answering
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(JSON.parse(done.output!)).toMatchObject({ published: 4, handOffs: 1 });
    const results = await s.all(`/competitions/${cid}/results`, { limit: 1 });
    expect(results).toHaveLength(4);
    expect(results.some((a: { entryId: string }) => a.entryId === alt.D!.entryId)).toBe(false);

    // Nobody answers the appointment: the hand-off ends and the organizer is told.
    const handOff = s.sfn.listExecutions(s.handOffStateMachineArn).find((x) => x.name === `${cid}_${alt.A!.entryId}`)!;
    const ended = await s.sfn.waitFor(handOff.executionArn, 30_000);
    expect(ended.status).toBe('SUCCEEDED');
    expect(
      ended.events.some(
        (e) =>
          e.type === 'TaskStateEntered' &&
          (e.stateEnteredEventDetails as { name: string }).name === 'AppointmentExpired',
      ),
    ).toBe(true);
    const project = (await s.req('GET', `/admin/projects?competitionId=${cid}`, { admin: true })).body.items[0];
    expect(project.status).toBe('APPOINTMENT_EXPIRED');
    const notices = (await outbox2(cid, 'handoff')).filter((m) => m.kind === 'ORGANIZER_NOTICE');
    expect(notices.map((m) => m.expertEmail)).toEqual(['office@example.com']);
  });
});

const outbox2 = (cid: string, stage: string) => deliveredOutbox(s, cid, stage);

describe('awards: the sponsor of a need confirms the winners among the answers to it (揭榜挂帅)', () => {
  const cid = 'aw-need';
  const ids: Record<string, { entryId: string; token: string }> = {};
  it('asks the need’s sponsor about its winner, withholds that award when it declines, and replays so', async () => {
    await setupCompetition(cid, ids, {}, 'C');
    const start = await s.req('POST', `/admin/competitions/${cid}/awards/start`, { admin: true });
    const awardsNow = async () =>
      (await s.req('GET', `/admin/competitions/${cid}/awards`, { admin: true })).body.awards;
    await expect.poll(async () => (await awardsNow())?.pendingDecisionToken, { timeout: 30_000 }).toBeTruthy();
    const approve = { admin: true, body: { action: 'APPROVE' } };
    expect((await s.req('POST', `/admin/competitions/${cid}/awards/decision`, approve)).status).toBe(202);
    const requests = async () => (await outbox2(cid, 'awards')).filter((m) => m.kind === 'SPONSOR_CONFIRMATION');
    await expect.poll(requests, { timeout: 30_000 }).toHaveLength(2);
    const confirmations = (await awardsNow()).confirmations as Array<{ needId?: string; entryIds: string[] }>;
    const needConfirmation = confirmations.find((c) => c.needId)!;
    expect(needConfirmation.entryIds).toEqual([ids.C!.entryId]);
    const toNeedSponsor = (await requests()).find((m) => m.expertEmail === 'wang900@example.com')!;
    const toChallenge = (await requests()).find((m) => m.expertEmail === 'needs@example.com')!;
    const page = await (await fetch(toNeedSponsor.links[0]!.url!)).text();
    expect(page).toContain('港口集卡调度算法');
    expect(page).toContain('智丙公司的方案');
    expect(page).not.toContain('药丁公司的方案'); // another sponsor's winner
    const declined = await post(toNeedSponsor.links[0]!.url!, { action: 'decline', reason: '方案未达到调度规模要求' });
    expect(declined.status).toBe(303);
    expect((await post(toChallenge.links[0]!.url!, { action: 'confirm' })).status).toBe(303);
    const done = await s.sfn.waitFor(start.body.executionArn, 30_000);
    expect(done.status).toBe('SUCCEEDED');
    const results = await s.all(`/competitions/${cid}/results`, { limit: 10 });
    expect(results.some((a: { entryId: string }) => a.entryId === ids.C!.entryId)).toBe(false);
    expect(results.some((a: { entryId: string }) => a.entryId === ids.D!.entryId)).toBe(true);
    const replay = (await s.req('GET', `/admin/competitions/${cid}/rounds/awards/replay`, { admin: true })).body;
    expect(replay).toMatchObject({ matches: true, published: results.length, differences: 0 });
  });
});
