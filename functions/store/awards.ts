import type { Amendment, AwardPlanInput, Proposal } from '../../shared/awards/allocation.ts';
import { awardsKey } from './keys.ts';
import type { TokenSlot, WaitSlot } from './task-tokens.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import { type Audit, createOnce, getVersioned, type LineLog, updateVersioned } from './versioned.ts';

/**
 * A competition's awards: the proposal computed from the final round, the
 * organizer's decisions, the sponsors' confirmations (揭榜挂帅) and the
 * publication — one item, changed only under its version. Every change is in
 * `history` with who, when and why.
 */
export type AwardStatus = 'PROPOSED' | 'CONFIRMING' | 'PUBLISHED';

export interface SponsorConfirmation {
  /** The challenge track, or the track of a need's winners. */
  trackId: string;
  /** Set for the sponsor of an enterprise need: the winners among the answers to it. */
  needId?: string;
  /** The need as the sponsor's page shows it (a snapshot: the page reads nothing else). */
  need?: { title: { zh: string; en?: string }; description: { zh: string; en?: string } };
  sponsor: string;
  contactEmail?: string;
  /** The entries awarded a tier in the track, which the sponsor confirms or declines. */
  entryIds: string[];
  status: 'PENDING' | 'CONFIRMED' | 'DECLINED' | 'TIMED_OUT';
  linkVersion: number;
  answeredAt?: string;
  by?: string;
  reason?: string;
}

export interface AwardRecord {
  competitionId: string;
  finalRoundId: string;
  status: AwardStatus;
  proposalVersion: number;
  proposal: Proposal;
  /** The award plan the proposal was allocated with (on the record, so the proposal can be replayed). */
  plan?: AwardPlanInput;
  /** Title and organization of every ranked entry (results are public once published). */
  entries: Record<string, { title: string; organizationName: string; trackId: string; needId?: string }>;
  /** Final-round mean per criterion, per entry (for the ranking export). */
  criteria: Record<string, Record<string, number>>;
  /** The organizer's pending decision: the callback token of the workflow's wait (never in a link). */
  decisionTaskToken?: string;
  /** The decision token whose decision has been applied (a replayed step applies it once). */
  appliedDecisionToken?: string;
  sponsorTaskToken?: string;
  sponsorCallbackSentFor?: string;
  confirmations: SponsorConfirmation[];
  /** When the sponsors' confirmation window closes (the wait's timeout). */
  confirmationClosesAt?: string;
  history: Array<{
    at: string;
    by: string;
    action: string;
    reason?: string;
    amendment?: Amendment;
    detail?: string;
    /** SPONSOR_DECLINED for a need: the winners it withholds (so the publication replays). */
    entryIds?: string[];
  }>;
  /** The organizer rejected the proposal: the next proposal step computes it again. */
  recomputeRequested?: boolean;
  /** What the last applied decision led to (returned again on a replay). */
  lastDecisionNext?: 'WAIT' | 'RECOMPUTE' | 'CONFIRM';
  /** The awards as published: the approved ones minus those a sponsor declined. */
  published?: Proposal['awards'];
  publishedAt?: string;
  version: number;
}

/** The history's lines are items of their own beside the awards item (`AWARDLOG#<n>`). */
const historyLog = (competitionId: string): LineLog => ({
  attribute: 'history',
  pk: awardsKey(competitionId).pk,
  skPrefix: 'AWARDLOG#',
});

export const getAwards = (competitionId: string) =>
  getVersioned<AwardRecord>(awardsKey(competitionId), historyLog(competitionId));
/**
 * Every change that adds to the awards' history — a proposal, an amendment,
 * an approval or rejection, a sponsor's answer, the publication — is a
 * decision: it goes on the audit record with what it added and the hashes of
 * the proposal (and the published awards) it left.
 */
const auditAwards: Audit<AwardRecord> = (before, after) => {
  const added = after.history.slice(before?.history.length ?? 0);
  const last = added.at(-1);
  if (!last) return undefined;
  const allocated = added.some((h) => h.action === 'PROPOSED' || h.action === 'RECOMPUTED');
  return {
    competitionId: after.competitionId,
    type: `AWARDS_${last.action}`,
    subject: 'awards',
    by: last.by,
    at: last.at,
    data: {
      status: after.status,
      proposalVersion: after.proposalVersion,
      history: added,
      // A proposal's inputs besides the final round's decisions (which the tally put on the record).
      ...(allocated ? { plan: after.plan ?? null, finalRoundId: after.finalRoundId } : {}),
      proposalHash: sha256(canonicalJson(after.proposal)),
      ...(after.published ? { publishedHash: sha256(canonicalJson(after.published)) } : {}),
    },
  };
};

export const createAwards = (record: AwardRecord) =>
  createOnce(awardsKey(record.competitionId), record, {}, auditAwards, historyLog(record.competitionId));
export const updateAwards = (competitionId: string, change: (current: AwardRecord) => AwardRecord | undefined) =>
  updateVersioned<AwardRecord>(awardsKey(competitionId), change, undefined, auditAwards, historyLog(competitionId));

/** The organizer's decision on the proposal: sent by the admin route (or the CLI), applied once per token. */
export const decisionWait = (competitionId: string): TokenSlot => ({
  key: awardsKey(competitionId),
  tokenAttribute: 'decisionTaskToken',
  versioned: true,
});

/** The sponsors' confirmations: resumed once none is pending any more. */
export const sponsorWait = (competitionId: string): WaitSlot => ({
  key: awardsKey(competitionId),
  tokenAttribute: 'sponsorTaskToken',
  sentAttribute: 'sponsorCallbackSentFor',
  versioned: true,
  ready: (item) => !(item as unknown as AwardRecord).confirmations.some((c) => c.status === 'PENDING'),
  output: () => ({ allAnswered: true }),
});
