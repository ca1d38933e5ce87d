import * as z from 'zod';
import { regionCode } from './competition.ts';
import { conflict } from './errors.ts';
import { canonicalJson } from './tokens.ts';
import { COOPERATION, cnyAmount } from './needs.ts';
import { text } from './text.ts';

/**
 * 对接 and 签约: after the sponsor shortlists an answer it proposes a matchmaking meeting, the solver
 * accepts or declines it, the sponsor records how it went; a signed contract (a deal) is recorded by the
 * sponsor or the organizer and may be corrected, withdrawn or marked failed — always with a reason, and
 * with its history kept.
 */

const isoInstant = z.iso.datetime({ offset: true });
const ulidOf = (what: string) => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, `must be a ${what} id`);
export const meetingIdSchema = ulidOf('meeting');
export const dealIdSchema = ulidOf('deal');

/** A record's history stays in its item, so it is bounded. */
export const MAX_MATCHING_EVENTS = 50;
/** Meetings one answer may have (proposals included), and deals one need may have. */
export const MAX_MEETINGS_PER_ANSWER = 20;
export const MAX_DEALS_PER_NEED = 50;

export const MEETING_FORMATS = ['ONLINE', 'ONSITE', 'HYBRID'] as const;

export const meetingProposalBody = z
  .strictObject({
    startsAt: isoInstant,
    durationMinutes: z.int().min(15).max(480),
    format: z.enum(MEETING_FORMATS),
    /** Where (ONSITE, HYBRID). */
    place: text(200).optional(),
    /** The meeting link (ONLINE, HYBRID): https only. */
    link: z
      .url({ protocol: /^https$/ })
      .max(500)
      .optional(),
    attendees: z
      .array(
        z.strictObject({
          name: text(60),
          organization: text(120).optional(),
          role: text(60).optional(),
          side: z.enum(['SPONSOR', 'SOLVER', 'CENTER']),
        }),
      )
      .min(1)
      .max(20),
    agenda: text(2000).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.format !== 'ONLINE' && !m.place)
      ctx.addIssue({ code: 'custom', path: ['place'], message: `a place is required for an ${m.format} meeting` });
    if (m.format !== 'ONSITE' && !m.link)
      ctx.addIssue({ code: 'custom', path: ['link'], message: `a link is required for an ${m.format} meeting` });
  });
export type MeetingProposal = z.infer<typeof meetingProposalBody>;

export const meetingResponseBody = z
  .strictObject({ action: z.enum(['ACCEPT', 'DECLINE']), reason: text(1000).optional() })
  .refine((r) => r.action === 'ACCEPT' || r.reason !== undefined, {
    message: 'a reason is required to decline a meeting',
    path: ['reason'],
  });

export const meetingOutcomeBody = z
  .strictObject({ outcome: z.enum(['HELD', 'NOT_HELD', 'CANCELLED']), notes: text(2000).optional() })
  .refine((o) => o.outcome === 'HELD' || o.notes !== undefined, {
    message: 'notes are required when a meeting did not take place or is cancelled',
    path: ['notes'],
  });

/**
 * PROPOSED → ACCEPTED | DECLINED (the solver); PROPOSED | ACCEPTED → CANCELLED (the sponsor);
 * ACCEPTED → HELD | NOT_HELD (the sponsor, once the meeting has begun).
 */
export const MEETING_STATUSES = ['PROPOSED', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'HELD', 'NOT_HELD'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
type MeetingAction = 'PROPOSE' | 'ACCEPT' | 'DECLINE' | 'HELD' | 'NOT_HELD' | 'CANCELLED';

export interface MeetingEvent {
  at: string;
  by: 'SPONSOR' | 'SOLVER';
  action: MeetingAction;
  reason?: string;
  status: MeetingStatus;
}

export interface Meeting extends MeetingProposal {
  meetingId: string;
  needId: string;
  entryId: string;
  competitionId: string;
  status: MeetingStatus;
  proposedAt: string;
  updatedAt: string;
  /** The sponsor's notes on how it went (HELD, NOT_HELD, CANCELLED). */
  outcomeNotes?: string;
  history: MeetingEvent[];
  version: number;
}

const MEETING_STEPS: Record<Exclude<MeetingAction, 'PROPOSE'>, { from: MeetingStatus[]; to: MeetingStatus }> = {
  ACCEPT: { from: ['PROPOSED'], to: 'ACCEPTED' },
  DECLINE: { from: ['PROPOSED'], to: 'DECLINED' },
  CANCELLED: { from: ['PROPOSED', 'ACCEPTED'], to: 'CANCELLED' },
  HELD: { from: ['ACCEPTED'], to: 'HELD' },
  NOT_HELD: { from: ['ACCEPTED'], to: 'NOT_HELD' },
};

/**
 * The meeting after a step, undefined when the step was already taken (a retry), or a 409 naming why
 * it cannot be taken.
 */
export const meetingStep = (
  m: Meeting,
  by: MeetingEvent['by'],
  action: Exclude<MeetingAction, 'PROPOSE'>,
  at: Date,
  reason?: string,
): Meeting | undefined => {
  const rule = MEETING_STEPS[action];
  if (m.status === rule.to && m.history.at(-1)?.action === action) return undefined;
  if (!rule.from.includes(m.status))
    throw conflict('MEETING_STATUS_CONFLICT', `A meeting that is ${m.status} cannot be ${rule.to.toLowerCase()}`);
  if ((action === 'HELD' || action === 'NOT_HELD') && Date.parse(m.startsAt) > at.getTime())
    throw conflict('MEETING_NOT_STARTED', `The meeting begins at ${m.startsAt}; record its outcome after that`);
  if (m.history.length >= MAX_MATCHING_EVENTS)
    throw conflict('MEETING_HISTORY_FULL', `A meeting keeps at most ${MAX_MATCHING_EVENTS} steps`);
  const iso = at.toISOString();
  const outcome = action === 'HELD' || action === 'NOT_HELD' || action === 'CANCELLED';
  return {
    ...m,
    status: rule.to,
    updatedAt: iso,
    ...(outcome && reason ? { outcomeNotes: reason } : {}),
    history: [...m.history, { at: iso, by, action, ...(reason ? { reason } : {}), status: rule.to }],
  };
};

/** 签约: a signed contract between the sponsor of a need and a solver that answered it. */
const dealTerms = {
  contractType: z.enum(Object.keys(COOPERATION) as [keyof typeof COOPERATION, ...Array<keyof typeof COOPERATION>]),
  amount: z.strictObject({ amount: cnyAmount, currency: z.literal('CNY') }),
  signedOn: z.iso.date(),
  /** 落地: where the project lands. */
  landing: z.strictObject({ region: regionCode, city: text(60) }),
};
export const recordDealBody = z.strictObject({
  entryId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id'),
  ...dealTerms,
  note: text(1000).optional(),
});
export type RecordDealBody = z.infer<typeof recordDealBody>;

/**
 * A correction names the terms it changes, or a new status (WITHDRAWN: the parties undid it; FAILED: it
 * fell through; SIGNED: restored), and always why.
 */
export const correctDealBody = z
  .strictObject({
    contractType: dealTerms.contractType.optional(),
    amount: dealTerms.amount.optional(),
    signedOn: dealTerms.signedOn.optional(),
    landing: dealTerms.landing.optional(),
    status: z.enum(['SIGNED', 'WITHDRAWN', 'FAILED']).optional(),
    reason: text(1000),
  })
  .refine(
    (c) =>
      c.contractType !== undefined ||
      c.amount !== undefined ||
      c.signedOn !== undefined ||
      c.landing !== undefined ||
      c.status !== undefined,
    { message: 'name at least one term or a status to change', path: ['status'] },
  );
export type DealCorrection = z.infer<typeof correctDealBody>;

export const DEAL_STATUSES = ['SIGNED', 'WITHDRAWN', 'FAILED'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];
export type DealTerms = Pick<RecordDealBody, 'contractType' | 'amount' | 'signedOn' | 'landing'>;

export interface DealEvent {
  at: string;
  by: 'SPONSOR' | 'ORGANIZER';
  /** The organizer's IAM principal, for organizer steps. */
  principal?: string;
  action: 'RECORDED' | 'CORRECTED';
  reason?: string;
  status: DealStatus;
  /** The terms as they were before a correction (what it changed). */
  previous?: Partial<DealTerms> & { status?: DealStatus };
}

export interface Deal extends DealTerms {
  dealId: string;
  needId: string;
  entryId: string;
  competitionId: string;
  status: DealStatus;
  recordedAt: string;
  updatedAt: string;
  note?: string;
  history: DealEvent[];
  version: number;
}

/** The deal after a correction, undefined when it changes nothing (a retry), or a 409. */
export const correctDeal = (
  d: Deal,
  c: DealCorrection,
  by: Pick<DealEvent, 'by' | 'principal'>,
  at: Date,
): Deal | undefined => {
  const changed: Partial<DealTerms> & { status?: DealStatus } = {};
  const next: Deal = { ...d };
  for (const key of ['contractType', 'amount', 'signedOn', 'landing', 'status'] as const) {
    const value = c[key];
    // Stored maps come back with their keys in any order: compare canonically.
    if (value === undefined || canonicalJson(value) === canonicalJson(d[key])) continue;
    Object.assign(changed, { [key]: d[key] });
    Object.assign(next, { [key]: value });
  }
  if (!Object.keys(changed).length) return undefined;
  if (d.history.length >= MAX_MATCHING_EVENTS)
    throw conflict('DEAL_HISTORY_FULL', `A deal keeps at most ${MAX_MATCHING_EVENTS} steps`);
  const iso = at.toISOString();
  return {
    ...next,
    updatedAt: iso,
    history: [
      ...d.history,
      { at: iso, ...by, action: 'CORRECTED', reason: c.reason, status: next.status, previous: changed },
    ],
  };
};
