import { describe, expect, it } from 'vitest';
import {
  assertCompatibleUpdate,
  competitionConfig,
  configIssues,
  createCompetitionBody,
  publicView,
  type Competition,
} from '../../shared/competition.ts';
import { AppError } from '../../shared/errors.ts';
import { competitionFixture } from '../fixtures/competition.ts';

const parse = (v: unknown) => competitionConfig.parse(v);
const { competitionId: _id, ...validConfig } = competitionFixture();

describe('competition configuration', () => {
  it('accepts the demo configuration with no issues', () => {
    expect(configIssues(parse(validConfig))).toEqual([]);
  });

  it('reports weights that do not sum to 100 at rubric.criteria', () => {
    const c = parse(validConfig);
    c.rubric.criteria[0]!.weight = 35;
    expect(configIssues(c)).toContainEqual(
      expect.objectContaining({
        path: 'rubric.criteria',
        code: 'weights_sum',
        message: 'weights must sum to 100, got 95',
      }),
    );
  });

  it('checks the award plan: grants for funded tiers, an organizer address, known tie-break criteria, milestone percents summing to 100', () => {
    const c = parse(validConfig);
    delete c.awardPlan.tiers[0]!.grant;
    delete c.awardPlan.funding.organizerEmail;
    c.awardPlan.tieBreak = [{ kind: 'CRITERION', criterionId: 'nope' }];
    c.awardPlan.funding.milestones[0]!.percent = 31;
    expect(configIssues(c).map((i) => [i.path, i.code])).toEqual([
      ['awardPlan.tiers.0.grant', 'required'],
      ['awardPlan.funding.organizerEmail', 'required'],
      ['awardPlan.tieBreak.0.criterionId', 'unknown_ref'],
      ['awardPlan.funding.milestones', 'weights_sum'],
    ]);
    // Without the award plan's optional parts, the defaults apply.
    const { awardPlan: _a, ...bare } = validConfig;
    expect(parse(bare).awardPlan).toMatchObject({
      tiers: [],
      tieBreak: [{ kind: 'FINAL_SCORE' }, { kind: 'EARLIER_SUBMISSION' }],
      sponsorConfirmationHours: 72,
      funding: { appointmentHours: 336, conversion: { converts: 'DISBURSED' } },
    });
  });

  it('reports duplicate track, round and criterion ids', () => {
    const c = parse(validConfig);
    c.tracks.push({ ...c.tracks[0]! });
    c.rubric.criteria.push({ ...c.rubric.criteria[0]!, weight: 1 });
    const codes = configIssues(c)
      .filter((i) => i.code === 'duplicate_id')
      .map((i) => i.path);
    expect(codes).toEqual(['tracks', 'rubric.criteria']);
  });

  it('reports a deadline before opening and rounds out of order, with field paths', () => {
    const c = parse(validConfig);
    const intake = c.rounds[0]!;
    if (intake.kind !== 'INTAKE') throw new Error('fixture');
    intake.submissionDeadline = new Date(Date.parse(intake.opensAt) - 1000).toISOString();
    const review = c.rounds[2]!;
    if (review.kind === 'INTAKE') throw new Error('fixture');
    review.reviewOpensAt = c.rounds[1]!.kind !== 'INTAKE' ? c.rounds[1]!.reviewOpensAt : '';
    const paths = configIssues(c).map((i) => i.path);
    expect(paths).toContain('rounds.0.submissionDeadline');
    expect(paths).toContain('rounds.2.reviewOpensAt');
  });

  it('requires the first round, and only the first, to be the intake round', () => {
    const c = parse(validConfig);
    c.rounds.reverse();
    expect(configIssues(c).map((i) => i.code)).toContain('intake_round');
  });

  it('refuses unknown fields, wrong enums and non-decimal money at parse time', () => {
    const bad = structuredClone(validConfig) as Record<string, unknown> & { tracks: Record<string, unknown>[] };
    bad.surprise = 1;
    bad.tracks[0]!.field = 'QUANTUM_MAGIC';
    (bad.tracks[2] as { budget: { amount: string } }).budget.amount = '1e9';
    const r = competitionConfig.safeParse(bad);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => [...i.path, ...(i.code === 'unrecognized_keys' ? i.keys : [])].join('.'));
    expect(paths).toEqual(expect.arrayContaining(['surprise', 'tracks.0.field', 'tracks.2.budget.amount']));
  });

  it('keeps the stage names "awards" and "handoff" from rounds (the outbox and the replay use them)', () => {
    for (const reserved of ['awards', 'handoff']) {
      const bad = structuredClone(validConfig) as { rounds: Array<{ roundId: string }> };
      bad.rounds[1]!.roundId = reserved;
      const r = competitionConfig.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('rounds.1.roundId');
    }
  });

  it('limits competition ids to URL-safe slugs', () => {
    expect(createCompetitionBody.safeParse({ ...validConfig, competitionId: 'Bad Id!' }).success).toBe(false);
    expect(createCompetitionBody.safeParse({ ...validConfig, competitionId: 'yrd-2026' }).success).toBe(true);
  });

  it('allows adding tracks but not removing one that entries may reference', () => {
    const before = parse(validConfig);
    const added = parse({
      ...validConfig,
      tracks: [
        ...validConfig.tracks,
        { trackId: 'energy', kind: 'OPEN_FIELD', field: 'NEW_ENERGY', name: { zh: '新能源' } },
      ],
    });
    expect(() => assertCompatibleUpdate(before, added)).not.toThrow();
    const removed = parse({ ...validConfig, tracks: validConfig.tracks.slice(1) });
    const err = (() => {
      try {
        assertCompatibleUpdate(before, removed);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err?.status).toBe(409);
    expect(err?.code).toBe('INCOMPATIBLE_UPDATE');
  });

  it('hides sponsor contact details from the public view', () => {
    const c = { ...parse(validConfig), competitionId: 'x', version: 1, createdAt: '', updatedAt: '' } as Competition;
    const challenge = publicView(c).tracks.find((t) => t.kind === 'CHALLENGE') as { sponsor: Record<string, unknown> };
    expect(challenge.sponsor).toEqual({ organizationName: '苏州示例生物医药有限公司' });
  });
});
