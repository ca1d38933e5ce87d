import { trackRanks } from '../review/scoring.ts';

/**
 * Award allocation (评奖), pure: from the final round's results and the
 * competition's award plan to a proposal the organizer approves or amends.
 *
 * Order: entries are ranked by the configured tie-break rules — by default the
 * final-round score, then earlier submission — and always last by entry id, so
 * the order is total and deterministic. Tiers are filled in the plan's order
 * (the most prestigious first): an OVERALL tier takes the next `count` entries
 * without a tier; a PER_TRACK tier does so within each track. No entry holds
 * two tiers. Special awards follow: BEST_ON_CRITERION goes to the entry with
 * the highest mean on that criterion (ties by the same ranking), BEST_PER_TRACK
 * to each track's best-ranked entry; a special award that may not combine with
 * a tier only considers entries without one. A tier or award with too few
 * candidates stays partly vacant (空缺), and the proposal says so.
 */
export interface Candidate {
  entryId: string;
  trackId: string;
  /** Final-round aggregate, 0–100. */
  score: number;
  /** Mean score per rubric criterion in the final round. */
  criteria: Record<string, number>;
  submittedAt: string;
}

export type TieBreakRule =
  | { kind: 'FINAL_SCORE' }
  | { kind: 'CRITERION'; criterionId: string }
  | { kind: 'EARLIER_SUBMISSION' };

export interface TierPlan {
  tierId: string;
  count: number;
  scope: 'OVERALL' | 'PER_TRACK';
  funded?: boolean;
}

export interface SpecialAwardPlan {
  awardId: string;
  rule: { kind: 'BEST_ON_CRITERION'; criterionId: string } | { kind: 'BEST_PER_TRACK' };
  mayCombineWithTier: boolean;
}

export interface AwardPlanInput {
  tiers: TierPlan[];
  specialAwards: SpecialAwardPlan[];
  tieBreak: TieBreakRule[];
}

export interface Award {
  entryId: string;
  trackId: string;
  kind: 'TIER' | 'SPECIAL';
  /** tierId or awardId. */
  awardId: string;
  /** Why: the rank or the criterion that earned it. */
  reason: string;
}

export interface Proposal {
  /** Every candidate, best first, with its overall and track rank. */
  ranking: Array<{ entryId: string; trackId: string; rank: number; trackRank: number; score: number }>;
  awards: Award[];
  /** Tiers and awards that could not be filled completely. */
  vacancies: Array<{ awardId: string; trackId?: string; missing: number }>;
}

export const DEFAULT_TIE_BREAK: TieBreakRule[] = [{ kind: 'FINAL_SCORE' }, { kind: 'EARLIER_SUBMISSION' }];

/** The documented total order: the rules in turn, then the entry id. */
export const compareCandidates =
  (rules: TieBreakRule[]) =>
  (a: Candidate, b: Candidate): number => {
    for (const r of rules) {
      let d = 0;
      if (r.kind === 'FINAL_SCORE') d = b.score - a.score;
      else if (r.kind === 'CRITERION')
        d = (b.criteria[r.criterionId] ?? -Infinity) - (a.criteria[r.criterionId] ?? -Infinity);
      else d = a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0;
      if (d !== 0 && !Number.isNaN(d)) return d < 0 ? -1 : 1;
    }
    return a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0;
  };

export const allocateAwards = (candidates: Candidate[], plan: AwardPlanInput): Proposal => {
  const compare = compareCandidates(plan.tieBreak.length ? plan.tieBreak : DEFAULT_TIE_BREAK);
  const ranked = [...candidates].sort(compare);
  const tracks = [...new Set(ranked.map((c) => c.trackId))].sort();
  const trackRank = trackRanks(ranked);
  const rankOf = new Map(ranked.map((c, i) => [c.entryId, i + 1]));
  const awards: Award[] = [];
  const vacancies: Proposal['vacancies'] = [];
  const tierOf = new Map<string, string>();

  for (const tier of plan.tiers) {
    const scopes = tier.scope === 'OVERALL' ? [undefined] : tracks;
    for (const trackId of scopes) {
      const pool = ranked.filter((c) => !tierOf.has(c.entryId) && (trackId === undefined || c.trackId === trackId));
      const chosen = pool.slice(0, tier.count);
      for (const c of chosen) {
        tierOf.set(c.entryId, tier.tierId);
        awards.push({
          entryId: c.entryId,
          trackId: c.trackId,
          kind: 'TIER',
          awardId: tier.tierId,
          reason:
            trackId === undefined
              ? `overall rank ${rankOf.get(c.entryId)}`
              : `rank ${trackRank.get(c.entryId)} in track ${trackId}`,
        });
      }
      if (chosen.length < tier.count)
        vacancies.push({
          awardId: tier.tierId,
          ...(trackId !== undefined ? { trackId } : {}),
          missing: tier.count - chosen.length,
        });
    }
  }

  for (const special of plan.specialAwards) {
    const eligible = ranked.filter((c) => special.mayCombineWithTier || !tierOf.has(c.entryId));
    if (special.rule.kind === 'BEST_ON_CRITERION') {
      const id = special.rule.criterionId;
      const scored = eligible.filter((c) => c.criteria[id] !== undefined);
      // Highest on the criterion; equal means fall back to the ranking (stable sort keeps it).
      const best = [...scored].sort((a, b) => b.criteria[id]! - a.criteria[id]!)[0];
      if (best)
        awards.push({
          entryId: best.entryId,
          trackId: best.trackId,
          kind: 'SPECIAL',
          awardId: special.awardId,
          reason: `highest mean on ${id}: ${best.criteria[id]}`,
        });
      else vacancies.push({ awardId: special.awardId, missing: 1 });
    } else {
      for (const trackId of tracks) {
        const best = eligible.find((c) => c.trackId === trackId);
        if (best)
          awards.push({
            entryId: best.entryId,
            trackId,
            kind: 'SPECIAL',
            awardId: special.awardId,
            reason: `best in track ${trackId} (rank ${trackRank.get(best.entryId)})`,
          });
        else vacancies.push({ awardId: special.awardId, trackId, missing: 1 });
      }
    }
  }

  return {
    ranking: ranked.map((c, i) => ({
      entryId: c.entryId,
      trackId: c.trackId,
      rank: i + 1,
      trackRank: trackRank.get(c.entryId)!,
      score: c.score,
    })),
    awards,
    vacancies,
  };
};

/** An organizer's change to a proposal; every one carries its reason (recorded with who and when by the caller). */
export type Amendment =
  | { op: 'MOVE'; entryId: string; fromAwardId: string; toAwardId: string; reason: string }
  | { op: 'ADD'; entryId: string; awardId: string; reason: string }
  | { op: 'REMOVE'; entryId: string; awardId: string; reason: string };

export class AmendmentError extends Error {
  constructor(
    readonly code:
      | 'UNKNOWN_ENTRY'
      | 'UNKNOWN_AWARD'
      | 'NOT_HELD'
      | 'ALREADY_HOLDS_TIER'
      | 'ALREADY_HELD'
      | 'REASON_REQUIRED'
      | 'CANNOT_COMBINE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Applies one amendment, keeping the invariants: no entry holds two tiers, an
 * award is held at most once by an entry, a special award that may not combine
 * with a tier does not. Counts may differ from the plan afterwards: that is
 * the organizer's recorded decision.
 */
export const applyAmendment = (p: Proposal, plan: AwardPlanInput, a: Amendment): Proposal => {
  if (!a.reason.trim()) throw new AmendmentError('REASON_REQUIRED', 'Every amendment needs a reason');
  const entry = p.ranking.find((r) => r.entryId === a.entryId);
  if (!entry) throw new AmendmentError('UNKNOWN_ENTRY', `Entry ${a.entryId} is not among the final-round results`);
  const tierIds = new Set(plan.tiers.map((t) => t.tierId));
  const special = new Map(plan.specialAwards.map((s) => [s.awardId, s]));
  const known = (id: string) => {
    if (!tierIds.has(id) && !special.has(id))
      throw new AmendmentError('UNKNOWN_AWARD', `No award "${id}" in the award plan`);
  };
  const holds = (id: string) => p.awards.some((x) => x.entryId === a.entryId && x.awardId === id);
  const note = `amended: ${a.reason.trim()}`;
  const add = (awards: Award[], id: string): Award[] => {
    if (tierIds.has(id) && awards.some((x) => x.entryId === a.entryId && x.kind === 'TIER'))
      throw new AmendmentError('ALREADY_HOLDS_TIER', `Entry ${a.entryId} already holds a tier; move it instead`);
    if (awards.some((x) => x.entryId === a.entryId && x.awardId === id))
      throw new AmendmentError('ALREADY_HELD', `Entry ${a.entryId} already holds "${id}"`);
    const s = special.get(id);
    if (s && !s.mayCombineWithTier && awards.some((x) => x.entryId === a.entryId && x.kind === 'TIER'))
      throw new AmendmentError('CANNOT_COMBINE', `"${id}" may not be held together with a tier`);
    if (tierIds.has(id)) {
      const clash = awards.find(
        (x) => x.entryId === a.entryId && x.kind === 'SPECIAL' && special.get(x.awardId)?.mayCombineWithTier === false,
      );
      if (clash)
        throw new AmendmentError(
          'CANNOT_COMBINE',
          `Entry ${a.entryId} holds "${clash.awardId}", which may not be combined with a tier`,
        );
    }
    return [
      ...awards,
      {
        entryId: a.entryId,
        trackId: entry.trackId,
        kind: tierIds.has(id) ? 'TIER' : 'SPECIAL',
        awardId: id,
        reason: note,
      },
    ];
  };
  const remove = (awards: Award[], id: string) => {
    if (!awards.some((x) => x.entryId === a.entryId && x.awardId === id))
      throw new AmendmentError('NOT_HELD', `Entry ${a.entryId} does not hold "${id}"`);
    return awards.filter((x) => !(x.entryId === a.entryId && x.awardId === id));
  };
  let awards = p.awards;
  switch (a.op) {
    case 'ADD':
      known(a.awardId);
      awards = add(awards, a.awardId);
      break;
    case 'REMOVE':
      known(a.awardId);
      awards = remove(awards, a.awardId);
      break;
    case 'MOVE':
      known(a.fromAwardId);
      known(a.toAwardId);
      if (!holds(a.fromAwardId))
        throw new AmendmentError('NOT_HELD', `Entry ${a.entryId} does not hold "${a.fromAwardId}"`);
      awards = add(remove(awards, a.fromAwardId), a.toAwardId);
      break;
  }
  return { ...p, awards };
};
