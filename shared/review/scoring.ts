import { canonicalJson, sha256 } from '../tokens.ts';
/**
 * Scoring of a review round, pure: rubric totals, aggregation per entry,
 * disagreement detection and advancement with a stored explanation.
 *
 * Rounding: a review's total and every aggregate are on a 0–100 scale and
 * rounded half away from zero to 4 decimals; ranking compares the rounded
 * values. Ties are broken, in order, by the mean of the highest-weight
 * criterion, then by the earlier submission, then by entry id, so the order is
 * total and deterministic.
 */

export interface Criterion {
  criterionId: string;
  weight: number; // percent; all weights sum to 100
  minScore: number;
  maxScore: number;
}

export interface Review {
  entryId: string;
  reviewerId: string;
  scores: Record<string, number>;
}

export type Aggregation =
  | { kind: 'mean' }
  | { kind: 'trimmed-mean'; minReviews: number }
  | { kind: 'median' }
  | { kind: 'calibrated'; lambda: number };

export const round4 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 1e4)) / 1e4;

/** Weighted rubric total on 0–100: each criterion scaled to 0–100, weighted by its percent. */
export const reviewTotal = (criteria: Criterion[], scores: Record<string, number>): number => {
  let total = 0;
  for (const c of criteria) {
    const s = scores[c.criterionId];
    if (s === undefined || !Number.isFinite(s) || s < c.minScore || s > c.maxScore) {
      throw new RangeError(`score for ${c.criterionId} must be within ${c.minScore}..${c.maxScore}`);
    }
    total += (c.weight / 100) * ((s - c.minScore) / (c.maxScore - c.minScore)) * 100;
  }
  return round4(total);
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** 去掉一个最高分和一个最低分: drop one highest and one lowest when there are at least `minReviews`. */
export const trimmedMean = (xs: number[], minReviews: number) => {
  if (xs.length < Math.max(3, minReviews)) return mean(xs);
  const s = [...xs].sort((a, b) => a - b);
  return mean(s.slice(1, -1));
};

/**
 * Reviewer-bias calibration: score = quality(entry) + offset(reviewer) + noise,
 * fitted by least squares with a ridge penalty λ·Σ offset² (so a reviewer who
 * saw few entries is not trusted to have a bias). Block coordinate descent on
 * a strictly convex objective: converges to its unique minimum.
 */
export const calibrate = (totals: Array<{ entryId: string; reviewerId: string; total: number }>, lambda: number) => {
  const entries = [...new Set(totals.map((t) => t.entryId))];
  const reviewers = [...new Set(totals.map((t) => t.reviewerId))];
  const e = new Map(entries.map((id, k) => [id, k]));
  const r = new Map(reviewers.map((id, k) => [id, k]));
  const rows = totals.map((t) => ({ e: e.get(t.entryId)!, r: r.get(t.reviewerId)!, s: t.total }));
  const quality = new Float64Array(entries.length);
  const offset = new Float64Array(reviewers.length);
  const qSum = new Float64Array(entries.length);
  const qCnt = new Float64Array(entries.length);
  const oSum = new Float64Array(reviewers.length);
  const oCnt = new Float64Array(reviewers.length);
  for (let iter = 0; iter < 10_000; iter++) {
    qSum.fill(0);
    qCnt.fill(0);
    for (const x of rows) {
      qSum[x.e]! += x.s - offset[x.r]!;
      qCnt[x.e]!++;
    }
    for (let k = 0; k < entries.length; k++) quality[k] = qSum[k]! / qCnt[k]!;
    oSum.fill(0);
    oCnt.fill(0);
    for (const x of rows) {
      oSum[x.r]! += x.s - quality[x.e]!;
      oCnt[x.r]!++;
    }
    let change = 0;
    for (let k = 0; k < reviewers.length; k++) {
      const next = oSum[k]! / (oCnt[k]! + lambda);
      change = Math.max(change, Math.abs(next - offset[k]!));
      offset[k] = next;
    }
    if (change < 1e-10) break;
  }
  return {
    quality: new Map(entries.map((id, k) => [id, quality[k]!])),
    offset: new Map(reviewers.map((id, k) => [id, offset[k]!])),
  };
};

/** Smallest and largest of a list of any length (spreading a long array into Math.min overflows the stack). */
export const minOf = (xs: readonly number[]) => xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
export const maxOf = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);

export interface EntryScore {
  entryId: string;
  trackId: string;
  submittedAt: string;
  totals: number[];
  aggregate: number;
  /** Mean of the highest-weight criterion: the first tie-breaker. */
  tieBreak: number;
  spread: number;
}

export const aggregateRound = (
  criteria: Criterion[],
  entries: Array<{ entryId: string; trackId: string; submittedAt: string; previousAggregate?: number }>,
  reviews: Review[],
  aggregation: Aggregation,
  carryPrevious = 0,
): EntryScore[] => {
  const top = [...criteria].sort((a, b) => b.weight - a.weight || a.criterionId.localeCompare(b.criterionId))[0]!;
  const byEntry = new Map<string, Review[]>();
  for (const rv of reviews) (byEntry.get(rv.entryId) ?? byEntry.set(rv.entryId, []).get(rv.entryId)!).push(rv);
  const totals = reviews.map((rv) => ({
    entryId: rv.entryId,
    reviewerId: rv.reviewerId,
    total: reviewTotal(criteria, rv.scores),
  }));
  const calibrated = aggregation.kind === 'calibrated' ? calibrate(totals, aggregation.lambda) : undefined;
  return entries
    .filter((en) => byEntry.has(en.entryId))
    .map((en) => {
      const mine = totals.filter((t) => t.entryId === en.entryId).map((t) => t.total);
      let current: number;
      switch (aggregation.kind) {
        case 'mean':
          current = mean(mine);
          break;
        case 'trimmed-mean':
          current = trimmedMean(mine, aggregation.minReviews);
          break;
        case 'median':
          current = median(mine);
          break;
        case 'calibrated':
          current = calibrated!.quality.get(en.entryId)!;
          break;
      }
      const blended =
        en.previousAggregate !== undefined && carryPrevious > 0
          ? (1 - carryPrevious) * current + carryPrevious * en.previousAggregate
          : current;
      const topScores = byEntry.get(en.entryId)!.map((rv) => rv.scores[top.criterionId]!);
      return {
        entryId: en.entryId,
        trackId: en.trackId,
        submittedAt: en.submittedAt,
        totals: mine,
        aggregate: round4(blended),
        tieBreak: round4(mean(topScores)),
        spread: round4(maxOf(mine) - minOf(mine)),
      };
    });
};

/** The documented total order: aggregate, then top-criterion mean, then earlier submission, then id. */
export const compareScores = (a: EntryScore, b: EntryScore) =>
  b.aggregate - a.aggregate ||
  b.tieBreak - a.tieBreak ||
  a.submittedAt.localeCompare(b.submittedAt) ||
  a.entryId.localeCompare(b.entryId);

export interface AdvancementRule {
  /** Best K of each track. */
  topKPerTrack?: number;
  /** Aggregate at least this. */
  minScore?: number;
  /** At most this many overall (best first), among those the other rules let through. */
  overallQuota?: number;
}

/**
 * The mean of each criterion over an entry's reviews, to 4 decimals: what the
 * ranking export shows and what a CRITERION tie-break or a BEST_ON_CRITERION
 * award compares. The tally stores it with the decision (the round's snapshot).
 */
export const criterionMeans = (reviews: Review[]): Map<string, Record<string, number>> => {
  const sums = new Map<string, Record<string, { sum: number; n: number }>>();
  for (const rv of reviews) {
    if (!sums.has(rv.entryId)) sums.set(rv.entryId, {});
    const per = sums.get(rv.entryId)!;
    for (const [k, v] of Object.entries(rv.scores)) {
      per[k] ??= { sum: 0, n: 0 };
      per[k].sum += v;
      per[k].n++;
    }
  }
  const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
  return new Map(
    [...sums].map(([entryId, per]) => [
      entryId,
      Object.fromEntries(Object.entries(per).map(([id, { sum, n }]) => [id, round4(sum / n)])),
    ]),
  );
};

export interface Decision {
  entryId: string;
  trackId: string;
  aggregate: number;
  totals: number[];
  trackRank: number;
  overallRank: number;
  advanced: boolean;
  /** Which rule decided: the first one the entry failed, or all passed. */
  decidedBy: string;
}

/** Rank within its track (1 = best) of each entry of a list already sorted best first. */
export const trackRanks = (sorted: ReadonlyArray<{ entryId: string; trackId: string }>): Map<string, number> => {
  const rank = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const s of sorted) {
    const k = (seen.get(s.trackId) ?? 0) + 1;
    seen.set(s.trackId, k);
    rank.set(s.entryId, k);
  }
  return rank;
};

/** Applies the rules in a fixed order (track rank, score, overall quota) and explains each outcome. */
export const advance = (scores: EntryScore[], rule: AdvancementRule): Decision[] => {
  const sorted = [...scores].sort(compareScores);
  const trackRank = trackRanks(sorted);
  let admitted = 0;
  return sorted.map((s, index) => {
    const rank = trackRank.get(s.entryId)!;
    let decidedBy = 'all rules passed';
    let advanced = true;
    if (rule.topKPerTrack !== undefined && rank > rule.topKPerTrack) {
      advanced = false;
      decidedBy = `track rank ${rank} > top ${rule.topKPerTrack}`;
    } else if (rule.minScore !== undefined && s.aggregate < rule.minScore) {
      advanced = false;
      decidedBy = `aggregate ${s.aggregate} < minimum ${rule.minScore}`;
    } else if (rule.overallQuota !== undefined && admitted >= rule.overallQuota) {
      advanced = false;
      decidedBy = `overall quota ${rule.overallQuota} filled`;
    }
    if (advanced) admitted++;
    return {
      entryId: s.entryId,
      trackId: s.trackId,
      aggregate: s.aggregate,
      totals: s.totals,
      trackRank: rank,
      overallRank: index + 1,
      advanced,
      decidedBy,
    };
  });
};

/**
 * 分歧: entries whose review totals spread beyond `threshold` while their band
 * [min, max] straddles the cutoff — one more reviewer could change the outcome.
 */
export const needsExtraReview = (scores: EntryScore[], cutoff: number, threshold: number) =>
  scores
    .filter((s) => s.spread > threshold && minOf(s.totals) < cutoff && maxOf(s.totals) >= cutoff)
    .map((s) => s.entryId);

/** The aggregate of the last entry that advances: the cutoff the disagreement check uses. */
export const cutoffOf = (decisions: Decision[]) => {
  const advanced = decisions.filter((d) => d.advanced);
  return advanced.length ? advanced[advanced.length - 1]!.aggregate : Infinity;
};

/** What a tally decides by: the rubric and the round's rules, as they were when it ran (kept on its audit record). */
export interface TallyRules {
  rubric: Criterion[];
  aggregation: Aggregation;
  advancement: AdvancementRule;
  carryPreviousWeight: number;
}

export type TallyEntry = { entryId: string; trackId: string; submittedAt: string; previousAggregate?: number };

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A round's tally, pure — the one computation the tally step runs and a
 * replay from the audit record runs again: scores, the advancement rule,
 * per-criterion means, and the hashes of its inputs and of its decisions.
 * Inputs are put in a canonical order first (floating-point sums then come
 * out bit for bit the same); entries without a counted review decide
 * nothing and are left out.
 */
export const tallyRound = (rules: TallyRules, allEntries: TallyEntry[], allReviews: Review[]) => {
  const reviews = [...allReviews].sort(
    (a, b) => byCodeUnits(a.entryId, b.entryId) || byCodeUnits(a.reviewerId, b.reviewerId),
  );
  const reviewed = new Set(reviews.map((r) => r.entryId));
  const entries = allEntries.filter((e) => reviewed.has(e.entryId)).sort((a, b) => byCodeUnits(a.entryId, b.entryId));
  const scores = aggregateRound(rules.rubric, entries, reviews, rules.aggregation, rules.carryPreviousWeight);
  const means = criterionMeans(reviews);
  const decisions = advance(scores, rules.advancement).map((d) => ({ ...d, criteria: means.get(d.entryId) ?? {} }));
  const inputsHash = sha256(
    canonicalJson({
      rules,
      entries: entries.map((e) => ({ ...e, previousAggregate: e.previousAggregate ?? null })),
      reviews,
    }),
  );
  return { decisions, scored: scores.length, inputsHash, decisionsHash: sha256(canonicalJson(decisions)) };
};
