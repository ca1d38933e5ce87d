import { computeConversion, type Conversion, type ConversionTerms, type FinancingRound } from './conversion.ts';
import { Rational, showMoney } from './decimal.ts';

/**
 * A funded project (拨投结合) and its guarded lifecycle, pure. The hand-off
 * workflow takes it from the appointment to ACTIVE; after that, organizers
 * record events: milestone reports and their acceptance, tranche payments
 * (never beyond the approved budget), financing rounds (a qualifying one
 * converts the grant into equity), research completed, or a lenient close-out
 * (宽容结题) with the unspent balance. An event the current state does not
 * allow is refused with the events it would allow.
 */
export type ProjectStatus =
  | 'PENDING_APPOINTMENT'
  | 'APPOINTMENT_EXPIRED'
  | 'DECLINED'
  | 'PENDING_MEETING'
  | 'REJECTED'
  | 'ACTIVE'
  | 'RESEARCH_COMPLETED'
  | 'CONVERTED'
  | 'CLOSED_LENIENT';
export type MilestoneStatus = 'PLANNED' | 'REPORTED' | 'ACCEPTED' | 'PAID';

export interface Milestone {
  milestoneId: string;
  title: string;
  /** The tranche paid when this milestone is accepted. */
  trancheAmount: string;
  status: MilestoneStatus;
  report?: { summary: string; at: string; by: string };
  acceptedAt?: string;
  paid?: { amount: string; at: string; by: string; reference?: string };
}

export interface FinancingEvent {
  at: string;
  by: string;
  round: FinancingRound;
  investor?: string;
  /** The conversion it triggered, or why it did not qualify. */
  outcome: Conversion | { qualifies: false; reason: string };
}

export interface Project {
  projectId: string;
  competitionId: string;
  entryId: string;
  trackId: string;
  awardId: string;
  manager: { name: string; email: string };
  title: string;
  status: ProjectStatus;
  currency: string;
  /** Requested at hand-off; the meeting may approve a different amount. */
  requestedAmount: string;
  approvedAmount?: string;
  disbursed: string;
  terms: ConversionTerms;
  milestones: Milestone[];
  financing: FinancingEvent[];
  conversion?: Conversion;
  closeOut?: { kind: 'LENIENT' | 'RESEARCH_COMPLETED'; reason: string; unspentBalance: string; at: string; by: string };
  /** Every change, oldest first: what, who, when, why. */
  log: Array<{ at: string; by: string; event: string; detail?: string }>;
  version: number;
}

export type ProjectEvent =
  | { type: 'APPOINTMENT_ACCEPTED' }
  | { type: 'APPOINTMENT_DECLINED'; reason?: string }
  | { type: 'APPOINTMENT_EXPIRED' }
  | { type: 'MEETING_APPROVED'; amount: string; minutes: string }
  | { type: 'MEETING_REJECTED'; reason: string }
  | { type: 'MILESTONE_REPORTED'; milestoneId: string; summary: string }
  | { type: 'MILESTONE_ACCEPTED'; milestoneId: string }
  | { type: 'MILESTONE_REPORT_RETURNED'; milestoneId: string; reason: string }
  | { type: 'TRANCHE_DISBURSED'; milestoneId: string; amount: string; reference?: string }
  | { type: 'FINANCING_RECORDED'; round: FinancingRound; investor?: string }
  | { type: 'RESEARCH_COMPLETED'; reason: string }
  | { type: 'CLOSED_LENIENT'; reason: string };

export class TransitionError extends Error {
  constructor(
    readonly code: 'INVALID_TRANSITION' | 'BUDGET_EXCEEDED' | 'UNKNOWN_MILESTONE' | 'INVALID_AMOUNT',
    message: string,
    readonly allowed: string[],
  ) {
    super(message);
  }
}

const PROJECT_EVENTS: Record<ProjectStatus, ProjectEvent['type'][]> = {
  PENDING_APPOINTMENT: ['APPOINTMENT_ACCEPTED', 'APPOINTMENT_DECLINED', 'APPOINTMENT_EXPIRED'],
  APPOINTMENT_EXPIRED: [],
  DECLINED: [],
  PENDING_MEETING: ['MEETING_APPROVED', 'MEETING_REJECTED'],
  REJECTED: [],
  ACTIVE: [
    'MILESTONE_REPORTED',
    'MILESTONE_ACCEPTED',
    'MILESTONE_REPORT_RETURNED',
    'TRANCHE_DISBURSED',
    'FINANCING_RECORDED',
    'RESEARCH_COMPLETED',
    'CLOSED_LENIENT',
  ],
  // A project that finished its research may still raise money: the grant then converts.
  RESEARCH_COMPLETED: ['FINANCING_RECORDED'],
  CONVERTED: ['FINANCING_RECORDED'],
  CLOSED_LENIENT: [],
};

const MILESTONE_EVENTS: Partial<Record<ProjectEvent['type'], MilestoneStatus>> = {
  MILESTONE_REPORTED: 'PLANNED',
  MILESTONE_ACCEPTED: 'REPORTED',
  MILESTONE_REPORT_RETURNED: 'REPORTED',
  TRANCHE_DISBURSED: 'ACCEPTED',
};

/** Events the project accepts now (milestone events name the milestones they apply to). */
export const allowedEvents = (p: Project): string[] =>
  PROJECT_EVENTS[p.status].flatMap((type) => {
    const needs = MILESTONE_EVENTS[type];
    if (!needs) return [type];
    return p.milestones.filter((m) => m.status === needs).map((m) => `${type}:${m.milestoneId}`);
  });

/**
 * Splits an approved amount into tranches by percent (summing to 100): each
 * tranche rounded down to the cent, the last one takes the remainder so the
 * tranches add up to the amount exactly.
 */
export const splitTranches = (amount: string, percents: number[]): string[] => {
  const total = Rational.parse(amount);
  const cents = (r: Rational) => r.mul(Rational.of(100)).floor();
  const totalCents = cents(total);
  const parts = percents.map((pct) => (totalCents * BigInt(Math.round(pct * 100))) / 10000n);
  parts[parts.length - 1] = totalCents - parts.slice(0, -1).reduce((a, b) => a + b, 0n);
  return parts.map((c) => showMoney(new Rational(c, 100n)));
};

export const applyProjectEvent = (p: Project, e: ProjectEvent, by: string, at: string): Project => {
  const refuse = (code: TransitionError['code'], message: string): never => {
    throw new TransitionError(code, message, allowedEvents(p));
  };
  if (!PROJECT_EVENTS[p.status].includes(e.type))
    refuse('INVALID_TRANSITION', `A ${p.status} project does not accept ${e.type}`);
  const log = (event: string, detail?: string) => [...p.log, { at, by, event, ...(detail ? { detail } : {}) }];
  const next = (changes: Partial<Project>, detail?: string): Project => ({
    ...p,
    ...changes,
    log: log(e.type, detail),
    version: p.version + 1,
  });
  const milestone = (id: string) => {
    const m = p.milestones.find((x) => x.milestoneId === id);
    if (!m) return refuse('UNKNOWN_MILESTONE', `No milestone "${id}"`);
    const needs = MILESTONE_EVENTS[e.type]!;
    if (m.status !== needs) refuse('INVALID_TRANSITION', `Milestone "${id}" is ${m.status}; ${e.type} needs ${needs}`);
    return m;
  };
  const withMilestone = (id: string, change: Partial<Milestone>) =>
    p.milestones.map((m) => (m.milestoneId === id ? { ...m, ...change } : m));
  const budget = () => Rational.parse(p.approvedAmount ?? p.requestedAmount);
  const unspent = () => showMoney(budget().sub(Rational.parse(p.disbursed)));

  switch (e.type) {
    case 'APPOINTMENT_ACCEPTED':
      return next({ status: 'PENDING_MEETING' });
    case 'APPOINTMENT_DECLINED':
      return next({ status: 'DECLINED' }, e.reason);
    case 'APPOINTMENT_EXPIRED':
      return next({ status: 'APPOINTMENT_EXPIRED' });
    case 'MEETING_APPROVED': {
      const amount = Rational.parse(e.amount);
      if (!amount.isPositive()) refuse('INVALID_AMOUNT', 'The approved amount must be greater than zero');
      const shares = p.milestones.map((m) => Rational.parse(m.trancheAmount));
      const requested = Rational.parse(p.requestedAmount);
      // Tranches keep their proportions of the request, rescaled to the approved amount.
      const percents = shares.map((s) => Number(s.mul(Rational.of(10000)).div(requested).floor()) / 100);
      const tranches = p.milestones.length ? splitTranches(amount.toFixed(2), percents) : [];
      return next(
        {
          status: 'ACTIVE',
          approvedAmount: amount.toFixed(2),
          milestones: p.milestones.map((m, k) => ({ ...m, trancheAmount: tranches[k]! })),
        },
        `approved ${amount.toFixed(2)} ${p.currency}: ${e.minutes}`,
      );
    }
    case 'MEETING_REJECTED':
      return next({ status: 'REJECTED' }, e.reason);
    case 'MILESTONE_REPORTED':
      milestone(e.milestoneId);
      return next(
        { milestones: withMilestone(e.milestoneId, { status: 'REPORTED', report: { summary: e.summary, at, by } }) },
        e.milestoneId,
      );
    case 'MILESTONE_ACCEPTED':
      milestone(e.milestoneId);
      return next({ milestones: withMilestone(e.milestoneId, { status: 'ACCEPTED', acceptedAt: at }) }, e.milestoneId);
    case 'MILESTONE_REPORT_RETURNED':
      milestone(e.milestoneId);
      return next({ milestones: withMilestone(e.milestoneId, { status: 'PLANNED' }) }, `${e.milestoneId}: ${e.reason}`);
    case 'TRANCHE_DISBURSED': {
      const m = milestone(e.milestoneId);
      const amount = Rational.parse(e.amount);
      if (!amount.isPositive()) refuse('INVALID_AMOUNT', 'The amount must be greater than zero');
      if (amount.cmp(Rational.parse(m.trancheAmount)) > 0)
        refuse(
          'BUDGET_EXCEEDED',
          `Tranche "${m.milestoneId}" is ${m.trancheAmount} ${p.currency}; ${showMoney(amount)} is more`,
        );
      const disbursed = Rational.parse(p.disbursed).add(amount);
      if (disbursed.cmp(budget()) > 0)
        refuse(
          'BUDGET_EXCEEDED',
          `Disbursing ${showMoney(amount)} would bring the total to ${showMoney(disbursed)}, above the approved ${showMoney(budget())} ${p.currency}`,
        );
      return next(
        {
          disbursed: showMoney(disbursed),
          milestones: withMilestone(e.milestoneId, {
            status: 'PAID',
            paid: { amount: showMoney(amount), at, by, ...(e.reference ? { reference: e.reference } : {}) },
          }),
        },
        `${e.milestoneId}: ${showMoney(amount)}`,
      );
    }
    case 'FINANCING_RECORDED': {
      const already = p.status === 'CONVERTED';
      const outcome: FinancingEvent['outcome'] = already
        ? { qualifies: false, reason: 'the grant has already converted' }
        : computeConversion(
            { disbursed: p.disbursed, commitment: p.approvedAmount ?? p.requestedAmount },
            p.terms,
            e.round,
          );
      const financing = [
        ...p.financing,
        { at, by, round: e.round, ...(e.investor ? { investor: e.investor } : {}), outcome },
      ];
      if (outcome.qualifies)
        return next(
          { status: 'CONVERTED', financing, conversion: outcome },
          `converted: ${outcome.shares} shares at ${outcome.conversionPrice} (${outcome.appliedTerm})`,
        );
      return next({ financing }, outcome.reason);
    }
    case 'RESEARCH_COMPLETED':
      return next(
        {
          status: 'RESEARCH_COMPLETED',
          closeOut: { kind: 'RESEARCH_COMPLETED', reason: e.reason, unspentBalance: unspent(), at, by },
        },
        e.reason,
      );
    case 'CLOSED_LENIENT':
      return next(
        {
          status: 'CLOSED_LENIENT',
          closeOut: { kind: 'LENIENT', reason: e.reason, unspentBalance: unspent(), at, by },
        },
        e.reason,
      );
  }
};

/** The figures the center publishes about its portfolio (项目支持数、完成研发、转股、转股金额、撬动社会资本、宽容结题). */
export const portfolioStats = (projects: Array<Omit<Project, 'log'>>) => {
  const sum = (xs: string[]) => showMoney(xs.reduce((a, x) => a.add(Rational.parse(x)), Rational.of(0)));
  const supported = projects.filter((p) => p.approvedAmount !== undefined);
  const converted = supported.filter((p) => p.conversion);
  return {
    projectsSupported: supported.length,
    active: supported.filter((p) => p.status === 'ACTIVE').length,
    researchCompleted: supported.filter(
      (p) =>
        p.status === 'RESEARCH_COMPLETED' || (p.status === 'CONVERTED' && p.closeOut?.kind === 'RESEARCH_COMPLETED'),
    ).length,
    convertedToEquity: converted.length,
    closedLeniently: supported.filter((p) => p.status === 'CLOSED_LENIENT').length,
    grantApproved: sum(supported.map((p) => p.approvedAmount!)),
    grantDisbursed: sum(supported.map((p) => p.disbursed)),
    grantConverted: sum(converted.map((p) => p.conversion!.convertingAmount)),
    socialCapitalAttracted: sum(supported.flatMap((p) => p.financing.map((f) => f.round.roundSize))),
    pendingHandOff: projects.filter((p) => p.status === 'PENDING_APPOINTMENT' || p.status === 'PENDING_MEETING').length,
  };
};
