import * as z from 'zod';
import { bilingual, text } from './text.ts';
import { roundSlug, slug } from './ids.ts';

export { roundSlug, slug } from './ids.ts';
import { AppError, validationError, type FieldIssue } from './errors.ts';
import { DOCUMENT_TYPES, documentRules } from './documents.ts';

/** Decimal money as a string ("5000000.00"): never a binary float. */
export const money = z.strictObject({
  amount: z
    .string()
    .regex(/^(0|[1-9]\d{0,14})(\.\d{1,2})?$/, 'must be a decimal with at most 15 integer digits and 2 decimals'),
  currency: z.enum(['CNY', 'USD', 'EUR', 'HKD']),
});
export type Money = z.infer<typeof money>;

const isoInstant = z.iso.datetime({ offset: true });

/** ISO 3166-1 alpha-2 country or ISO 3166-2 subdivision, e.g. "CN-SH" (上海), "CN-JS", "SG". */
export const regionCode = z
  .string()
  .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be an ISO 3166 code such as CN-SH or SG');

export const FIELDS = [
  'IC',
  'AI',
  'BIOMED',
  'ADVANCED_MATERIALS',
  'HIGH_END_EQUIPMENT',
  'NEW_ENERGY',
  'OTHER',
] as const;
export const ORGANIZATION_TYPES = ['ENTERPRISE', 'UNIVERSITY', 'RESEARCH_INSTITUTE', 'TEAM', 'OTHER'] as const;
export { DOCUMENT_TYPES } from './documents.ts';
/** Entry fields an eligibility rule may require to be filled before screening passes. */
export const SCREENABLE_FIELDS = [
  'summary',
  'solution',
  'applicant.foundedOn',
  'applicant.creditCode',
  'applicant.lead.phone',
  'applicant.teamSize',
] as const;

const openTrack = z.strictObject({
  trackId: slug,
  kind: z.literal('OPEN_FIELD'),
  field: z.enum(FIELDS),
  name: bilingual(60),
  description: bilingual(2000).optional(),
});

/** 企业出题: a sponsor posts a technology need with a budget; solvers answer it (揭榜挂帅). */
const challengeTrack = z.strictObject({
  trackId: slug,
  kind: z.literal('CHALLENGE'),
  field: z.enum(FIELDS),
  name: bilingual(60),
  description: bilingual(2000).optional(),
  sponsor: z.strictObject({ organizationName: text(120), contactEmail: z.email().optional() }),
  need: bilingual(4000),
  budget: money,
  intendedInvestment: money.optional(),
  sponsorConfirmsWinner: z.boolean().default(true),
});

export const track = z.discriminatedUnion('kind', [openTrack, challengeTrack]);
export type Track = z.infer<typeof track>;

/** Stage names the outbox and the audit replay use beside round ids; no round may take them. */
export const RESERVED_STAGES = ['awards', 'handoff'] as const;
const roundId = roundSlug.refine(
  (id) => !(RESERVED_STAGES as readonly string[]).includes(id),
  'is reserved for the awards and the hand-off stages',
);

const intakeRound = z.strictObject({
  roundId,
  kind: z.literal('INTAKE'),
  name: bilingual(60),
  opensAt: isoInstant,
  submissionDeadline: isoInstant,
});

const reviewRound = z.strictObject({
  roundId,
  kind: z.enum(['PRELIMINARY', 'SEMI_FINAL', 'FINAL']),
  name: bilingual(60),
  reviewOpensAt: isoInstant,
  reviewClosesAt: isoInstant,
  blind: z.boolean().default(true),
  reviewersPerEntry: z.number().int().min(1).max(15).default(3),
  /** A review whose 0–100 total falls outside this band must carry a comment. */
  commentRequiredOutside: z
    .strictObject({ min: z.number().min(0).max(100), max: z.number().min(0).max(100) })
    .optional(),
  aggregation: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('mean') }),
      z.strictObject({ kind: z.literal('trimmed-mean'), minReviews: z.number().int().min(3).max(15).default(5) }),
      z.strictObject({ kind: z.literal('median') }),
      z.strictObject({ kind: z.literal('calibrated'), lambda: z.number().min(0.001).max(1000).default(1) }),
    ])
    .default({ kind: 'trimmed-mean', minReviews: 5 }),
  /** Who goes on: any combination; with none, every scored entry advances. */
  advancement: z
    .strictObject({
      topKPerTrack: z.number().int().min(1).max(10000).optional(),
      minScore: z.number().min(0).max(100).optional(),
      overallQuota: z.number().int().min(1).max(100000).optional(),
    })
    .default({}),
  /** Weight of the previous round's aggregate in this round's (0 = this round only). */
  carryPreviousWeight: z.number().min(0).max(0.9).default(0),
  /** Remind experts with pending reviews this many hours before the close (fractions allowed). */
  reminderHoursBefore: z
    .array(
      z
        .number()
        .positive()
        .max(24 * 60),
    )
    .max(5)
    .default([48, 24]),
  /**
   * Backup reviewers: a declined review (回避) is always replaced; with
   * `reassignPendingHoursBefore`, reviews still pending that many hours before the
   * close are revoked and reassigned too. Either only while at least
   * `minHoursToReview` remain, so the backup reviewer has time to read the entry.
   */
  backupReviewers: z
    .strictObject({
      reassignPendingHoursBefore: z
        .number()
        .positive()
        .max(24 * 60)
        .optional(),
      minHoursToReview: z
        .number()
        .min(0)
        .max(24 * 30)
        .default(24),
    })
    .default({ minHoursToReview: 24 }),
  /**
   * 分歧复核: when every review is in, an entry whose totals spread more than
   * `spreadAbove` points and straddle the advancement cutoff gets one extra
   * reviewer; at most `maxExtraPasses` such passes per round.
   */
  disagreement: z
    .strictObject({
      spreadAbove: z.number().min(0).max(100),
      maxExtraPasses: z.number().int().min(1).max(3).default(1),
    })
    .optional(),
  /**
   * Panel mode (semi-final, final): `size` experts form one panel per track and
   * each scores every entry of that track (minus their own conflicts, 回避).
   * Replaces `reviewersPerEntry`. An expert sits on at most one panel per round.
   */
  panel: z.strictObject({ size: z.number().int().min(1).max(50) }).optional(),
});

export const round = z.discriminatedUnion('kind', [intakeRound, reviewRound]);
export type Round = z.infer<typeof round>;
/** A round with reviewers (preliminary, final), as opposed to the intake round. */
export type ReviewRound = Extract<Round, { reviewersPerEntry: number }>;
export type IntakeRound = z.infer<typeof intakeRound>;

export const rubric = z.strictObject({
  criteria: z
    .array(
      z.strictObject({
        criterionId: slug,
        name: bilingual(60),
        description: bilingual(500).optional(),
        /** Weight in percent; all weights sum to 100. */
        weight: z.number().int().min(1).max(100),
        minScore: z.number().int().min(0).max(1000),
        maxScore: z.number().int().min(1).max(1000),
      }),
    )
    .min(1)
    .max(20),
});

export const eligibility = z.strictObject({
  requiredFields: z.array(z.enum(SCREENABLE_FIELDS)).max(SCREENABLE_FIELDS.length).default([]),
  requiredDocuments: z.array(z.enum(DOCUMENT_TYPES)).max(DOCUMENT_TYPES.length).default([]),
  /** Empty means any region. */
  allowedRegions: z.array(regionCode).max(300).default([]),
  /** Empty means any organization type. */
  allowedOrganizationTypes: z.array(z.enum(ORGANIZATION_TYPES)).max(ORGANIZATION_TYPES.length).default([]),
  foundedOnOrAfter: z.iso.date().optional(),
  foundedOnOrBefore: z.iso.date().optional(),
});
export type EligibilityRules = z.infer<typeof eligibility>;

/** Stored now, used by the award workflow later. */
export const awardPlan = z.strictObject({
  tiers: z
    .array(
      z.strictObject({
        tierId: slug,
        name: bilingual(60),
        count: z.number().int().min(1).max(1000),
        scope: z.enum(['OVERALL', 'PER_TRACK']),
        funded: z.boolean().default(false),
        /** The grant requested for each winner of a funded tier (the review meeting may approve another amount). */
        grant: money.optional(),
      }),
    )
    .max(10)
    .default([]),
  specialAwards: z
    .array(
      z.strictObject({
        awardId: slug,
        name: bilingual(60),
        rule: z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('BEST_ON_CRITERION'), criterionId: slug }),
          z.strictObject({ kind: z.literal('BEST_PER_TRACK') }),
        ]),
        mayCombineWithTier: z.boolean().default(true),
      }),
    )
    .max(10)
    .default([]),
  /** Ranking order for awards after the final-round score; the entry id decides last. */
  tieBreak: z
    .array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('FINAL_SCORE') }),
        z.strictObject({ kind: z.literal('CRITERION'), criterionId: slug }),
        z.strictObject({ kind: z.literal('EARLIER_SUBMISSION') }),
      ]),
    )
    .max(5)
    .default([{ kind: 'FINAL_SCORE' }, { kind: 'EARLIER_SUBMISSION' }]),
  /** How long a challenge sponsor has to confirm its winning solver (揭榜挂帅). */
  sponsorConfirmationHours: z
    .number()
    .positive()
    .max(24 * 60)
    .default(72),
  /** The hand-off of funded winners into projects (拨投结合, 先投后股). */
  funding: z
    .strictObject({
      /** How long an appointee has to accept the project-manager appointment (项目经理聘任). */
      appointmentHours: z
        .number()
        .positive()
        .max(24 * 90)
        .default(24 * 14),
      termMonths: z.number().int().min(1).max(120).default(36),
      responsibilities: bilingual(2000).default({
        zh: '负责项目研发目标的实现、团队组建与经费使用，按里程碑报告进展。',
        en: 'Leads the project to its research goals, builds the team, manages the funds and reports at each milestone.',
      }),
      /** Who hears about an appointment that timed out. */
      organizerEmail: z.email().optional(),
      /** Tranches tied to milestones, as percents of the approved grant (summing to 100). */
      milestones: z
        .array(z.strictObject({ milestoneId: slug, title: bilingual(120), percent: z.number().gt(0).max(100) }))
        .min(1)
        .max(20)
        .default([
          { milestoneId: 'kickoff', title: { zh: '项目启动', en: 'Kick-off' }, percent: 30 },
          { milestoneId: 'prototype', title: { zh: '原型验证', en: 'Prototype validated' }, percent: 40 },
          { milestoneId: 'delivery', title: { zh: '成果交付', en: 'Results delivered' }, percent: 30 },
        ]),
      /** 先投后股 terms: which amount converts, and an optional discount, valuation cap and qualifying round size. */
      conversion: z
        .strictObject({
          converts: z.enum(['DISBURSED', 'COMMITMENT']).default('DISBURSED'),
          discountPercent: z
            .string()
            .regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a percent below 100 with at most 2 decimals')
            .optional(),
          valuationCap: money.optional(),
          /** PRE_MONEY: cap ÷ shares before the round; POST_MONEY: the grant owns (grant ÷ cap), as a post-money SAFE. */
          capBasis: z.enum(['PRE_MONEY', 'POST_MONEY']).default('PRE_MONEY'),
          qualifyingRoundSize: money.optional(),
        })
        .prefault({}),
    })
    // Parsed from {}, so every field takes its own default.
    .prefault({}),
});

export const competitionConfig = z.strictObject({
  title: bilingual(120),
  description: bilingual(5000),
  status: z.enum(['DRAFT', 'PUBLISHED', 'CLOSED']).default('DRAFT'),
  tracks: z.array(track).min(1).max(50),
  rounds: z.array(round).min(1).max(10),
  rubric,
  eligibility: eligibility.default({
    requiredFields: [],
    requiredDocuments: [],
    allowedRegions: [],
    allowedOrganizationTypes: [],
  }),
  entryPolicy: z
    .strictObject({ maxActiveEntriesPerOrganizationPerTrack: z.number().int().min(1).max(20).default(1) })
    .default({ maxActiveEntriesPerOrganizationPerTrack: 1 }),
  awardPlan: awardPlan.prefault({}),
  /** Uploads: per-type size limits, whether a video is taken, how many documents an entry holds. */
  documents: documentRules.prefault({}),
  /** Names that denote one institution, for conflict-of-interest checks, e.g. ["复旦大学", "Fudan University"]. */
  institutionAliases: z
    .array(z.array(text(200)).min(2).max(20))
    .max(1000)
    .default([]),
  /**
   * Enterprise needs: whether a need's sponsor may nominate experts of the pool to review the answers to
   * its need (they are preferred for those answers; conflicts still apply), and how many.
   */
  needs: z
    .strictObject({
      sponsorsNominateExperts: z.boolean().default(false),
      maxNominationsPerNeed: z.int().min(1).max(10).default(3),
    })
    .prefault({}),
  /**
   * E-mails to applicants (bilingual, through the outbox, once per event): entry submitted, screening
   * result, each round's outcome, award won. The appointment offer is sent regardless (it carries the link).
   */
  notifications: z.strictObject({ applicants: z.boolean().default(true) }).prefault({}),
});
export type CompetitionConfig = z.infer<typeof competitionConfig>;

export const createCompetitionBody = competitionConfig.extend({ competitionId: slug });

export interface Competition extends CompetitionConfig {
  competitionId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

/**
 * Whole-config rules zod cannot express per field: unique ids, weights sum to 100,
 * score ranges and dates ordered. Returns every problem at once with its path.
 */
export const configIssues = (c: CompetitionConfig): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  for (const [list, key] of [
    [c.tracks.map((t) => t.trackId), 'tracks'],
    [c.rounds.map((r) => r.roundId), 'rounds'],
    [c.rubric.criteria.map((r) => r.criterionId), 'rubric.criteria'],
    [c.awardPlan.tiers.map((t) => t.tierId), 'awardPlan.tiers'],
    [c.awardPlan.specialAwards.map((t) => t.awardId), 'awardPlan.specialAwards'],
  ] as const) {
    for (const id of new Set(duplicates(list)))
      issues.push({ path: key, message: `duplicate id "${id}"`, code: 'duplicate_id' });
  }
  const weightSum = c.rubric.criteria.reduce((s, k) => s + k.weight, 0);
  if (weightSum !== 100)
    issues.push({ path: 'rubric.criteria', message: `weights must sum to 100, got ${weightSum}`, code: 'weights_sum' });
  c.rubric.criteria.forEach((k, i) => {
    if (k.minScore >= k.maxScore)
      issues.push({
        path: `rubric.criteria.${i}.maxScore`,
        message: 'maxScore must be greater than minScore',
        code: 'range',
      });
  });

  const intake = c.rounds.filter((r) => r.kind === 'INTAKE');
  if (intake.length !== 1 || c.rounds[0]?.kind !== 'INTAKE') {
    issues.push({
      path: 'rounds',
      message: 'the first round, and only the first, must be the INTAKE round',
      code: 'intake_round',
    });
  }
  // Each round's window must open after the previous one closed.
  let previousEnd: { at: number; path: string } | undefined;
  c.rounds.forEach((r, i) => {
    const [start, end, startKey, endKey] =
      r.kind === 'INTAKE'
        ? [r.opensAt, r.submissionDeadline, 'opensAt', 'submissionDeadline']
        : [r.reviewOpensAt, r.reviewClosesAt, 'reviewOpensAt', 'reviewClosesAt'];
    const s = Date.parse(start);
    const e = Date.parse(end);
    if (s >= e)
      issues.push({
        path: `rounds.${i}.${endKey}`,
        message: `${endKey} must be after ${startKey}`,
        code: 'date_order',
      });
    if (previousEnd && s < previousEnd.at) {
      issues.push({
        path: `rounds.${i}.${startKey}`,
        message: `${startKey} must not be before ${previousEnd.path}`,
        code: 'date_order',
      });
    }
    previousEnd = { at: e, path: `rounds.${i}.${endKey}` };
  });

  const { foundedOnOrAfter: after, foundedOnOrBefore: before } = c.eligibility;
  if (after && before && after > before) {
    issues.push({
      path: 'eligibility.foundedOnOrBefore',
      message: 'foundedOnOrBefore must not be before foundedOnOrAfter',
      code: 'date_order',
    });
  }
  const criteria = new Set(c.rubric.criteria.map((k) => k.criterionId));
  c.awardPlan.tiers.forEach((t, i) => {
    if (t.funded && !t.grant)
      issues.push({
        path: `awardPlan.tiers.${i}.grant`,
        message: 'a funded tier needs the grant each winner requests',
        code: 'required',
      });
  });
  // An appointment that times out must reach somebody.
  if (c.awardPlan.tiers.some((t) => t.funded) && !c.awardPlan.funding.organizerEmail) {
    issues.push({
      path: 'awardPlan.funding.organizerEmail',
      message: 'funded tiers need an organizer address for appointment time-outs',
      code: 'required',
    });
  }
  c.awardPlan.tieBreak.forEach((r, i) => {
    if (r.kind === 'CRITERION' && !criteria.has(r.criterionId))
      issues.push({
        path: `awardPlan.tieBreak.${i}.criterionId`,
        message: `unknown criterion "${r.criterionId}"`,
        code: 'unknown_ref',
      });
  });
  const percent = c.awardPlan.funding.milestones.reduce((a, m) => a + Math.round(m.percent * 100), 0);
  if (percent !== 10000)
    issues.push({
      path: 'awardPlan.funding.milestones',
      message: `milestone percents must sum to 100, got ${percent / 100}`,
      code: 'weights_sum',
    });
  for (const id of new Set(duplicates(c.awardPlan.funding.milestones.map((m) => m.milestoneId))))
    issues.push({ path: 'awardPlan.funding.milestones', message: `duplicate id "${id}"`, code: 'duplicate_id' });
  c.awardPlan.specialAwards.forEach((a, i) => {
    if (a.rule.kind === 'BEST_ON_CRITERION' && !criteria.has(a.rule.criterionId)) {
      issues.push({
        path: `awardPlan.specialAwards.${i}.rule.criterionId`,
        message: `unknown criterion "${a.rule.criterionId}"`,
        code: 'unknown_ref',
      });
    }
  });
  return issues;
};

export const assertValidConfig = (c: CompetitionConfig): void => {
  const issues = configIssues(c);
  if (issues.length) throw validationError('The competition configuration is inconsistent', issues);
};

export const intakeRoundOf = (c: Pick<CompetitionConfig, 'rounds'>): IntakeRound => {
  const r = c.rounds[0];
  if (r?.kind !== 'INTAKE') throw new Error('competition has no intake round');
  return r;
};

/** The intake round a workflow names: 404 when it does not exist, 409 when it is a review round. */
export const intakeRoundFor = (c: Competition, roundId: string): IntakeRound => {
  const round = c.rounds.find((r) => r.roundId === roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', `Round "${roundId}" was not found`);
  if (round.kind !== 'INTAKE')
    throw new AppError(409, 'ROUND_KIND_NOT_SUPPORTED', `Round "${roundId}" is not an intake round`);
  return intakeRoundOf(c);
};

/**
 * When the intake round wakes: just after the deadline's last millisecond,
 * never in the past. CloseIntake re-reads the deadline on waking, so an
 * extended deadline sends the execution back to wait.
 */
export const nextWake = (deadline: string, now: Date): string =>
  new Date(Math.max(Date.parse(deadline) + 1, now.getTime())).toISOString();

export const findTrack = (c: Pick<CompetitionConfig, 'tracks'>, trackId: string) =>
  c.tracks.find((t) => t.trackId === trackId);

/**
 * What the public sees: the rules, never a person's contact — no sponsor contact, no organizer
 * address (a test walks every public response for e-mail- and phone-like strings).
 */
export const publicView = (c: Competition) => ({
  competitionId: c.competitionId,
  title: c.title,
  description: c.description,
  status: c.status,
  tracks: c.tracks.map((t) =>
    t.kind === 'CHALLENGE' ? { ...t, sponsor: { organizationName: t.sponsor.organizationName } } : t,
  ),
  rounds: c.rounds,
  rubric: c.rubric,
  eligibility: c.eligibility,
  entryPolicy: c.entryPolicy,
  awardPlan: (({ organizerEmail: _private, ...funding }) => ({ ...c.awardPlan, funding }))(c.awardPlan.funding),
});

/**
 * Updates may add tracks and rounds and change texts and dates, but ids that
 * entries and round runs already refer to must stay, with the same kind.
 */
export const assertCompatibleUpdate = (existing: CompetitionConfig, next: CompetitionConfig): void => {
  const issues: FieldIssue[] = [];
  for (const t of existing.tracks) {
    const n = next.tracks.find((x) => x.trackId === t.trackId);
    if (!n) issues.push({ path: 'tracks', message: `track "${t.trackId}" cannot be removed`, code: 'removed_id' });
    else if (n.kind !== t.kind)
      issues.push({ path: 'tracks', message: `track "${t.trackId}" cannot change kind`, code: 'changed_kind' });
  }
  for (const r of existing.rounds) {
    const n = next.rounds.find((x) => x.roundId === r.roundId);
    if (!n) issues.push({ path: 'rounds', message: `round "${r.roundId}" cannot be removed`, code: 'removed_id' });
    else if (n.kind !== r.kind)
      issues.push({ path: 'rounds', message: `round "${r.roundId}" cannot change kind`, code: 'changed_kind' });
  }
  if (issues.length)
    throw new AppError(409, 'INCOMPATIBLE_UPDATE', 'The update removes or changes ids that are in use', { issues });
};

/** Execution names are derived, so starting the same round twice is idempotent. */
export const roundExecutionName = (competitionId: string, roundId: string) => `${competitionId}_${roundId}`;
