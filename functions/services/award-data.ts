import type { Competition } from '../../shared/competition.ts';
import type { AwardPlanInput, Candidate } from '../../shared/awards/allocation.ts';
import { conflict } from '../../shared/errors.ts';
import { getEntryRecord } from '../store/entries.ts';
import { listDecisions } from '../store/decisions.ts';
import { getRoundRun } from '../store/rounds.ts';

/** Awards are decided on the last review round (the final). */
export const finalRoundOf = (c: Competition) => {
  const review = c.rounds.filter((r) => r.kind !== 'INTAKE');
  const final = review[review.length - 1];
  if (!final) throw conflict('NO_REVIEW_ROUND', 'The competition has no review round to award from');
  return final;
};

/** The final round, once tallied: awards are computed from its decisions, never before. */
export const requireTalliedFinal = async (c: Competition) => {
  const final = finalRoundOf(c);
  const run = await getRoundRun(c.competitionId, final.roundId);
  if (run?.status !== 'TALLIED') {
    const status = run?.status ?? 'NOT_STARTED';
    throw conflict('FINAL_ROUND_NOT_TALLIED', `Round "${final.roundId}" has not been tallied (status ${status})`);
  }
  return final;
};

export const planOf = (c: Competition): AwardPlanInput => ({
  tiers: c.awardPlan.tiers.map((t) => ({ tierId: t.tierId, count: t.count, scope: t.scope, funded: t.funded })),
  specialAwards: c.awardPlan.specialAwards.map((s) => ({
    awardId: s.awardId,
    rule: s.rule,
    mayCombineWithTier: s.mayCombineWithTier,
  })),
  tieBreak: c.awardPlan.tieBreak,
});

/**
 * The final round's scored entries, all from the decisions its tally stored:
 * the aggregate (with any carried weight) and the mean per criterion.
 */
export const loadCandidates = async (
  c: Competition,
): Promise<{
  finalRoundId: string;
  candidates: Candidate[];
  entries: Record<string, { title: string; organizationName: string; trackId: string; needId?: string }>;
}> => {
  const final = await requireTalliedFinal(c);
  const decisions = await listDecisions(c.competitionId, final.roundId);
  const entries = await Promise.all(decisions.map((d) => getEntryRecord(d.entryId)));
  const titles: Record<string, { title: string; organizationName: string; trackId: string; needId?: string }> = {};
  const candidates = decisions.flatMap((d, k) => {
    const e = entries[k];
    if (!e || e.status === 'WITHDRAWN') return [];
    titles[d.entryId] = {
      title: e.title,
      organizationName: e.applicant.organizationName,
      trackId: e.trackId,
      ...(e.needId ? { needId: e.needId } : {}),
    };
    // Per-criterion means from the tally's snapshot, never from the live reviews.
    const criteria = d.criteria ?? {};
    return [
      {
        entryId: d.entryId,
        trackId: d.trackId,
        score: d.aggregate,
        criteria,
        submittedAt: e.submittedAt ?? e.createdAt,
      },
    ];
  });
  return { finalRoundId: final.roundId, candidates, entries: titles };
};
