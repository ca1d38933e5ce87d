import { nodes, reducedCost, solveBMatching, type BMatchingResult } from './bmatching.ts';

/**
 * Exact reviewer assignment: every entry gets `demand[i]` distinct reviewers,
 * no reviewer exceeds `capacity[j]`, conflicts are never used, and among all
 * such assignments the solver returns (1) the largest, then (2) the one with
 * the fewest entries whose reviewers are all weak, then (3) the one with the
 * highest total affinity. Deterministic for the same input.
 *
 * It solves on a sparse candidate set (each entry's best reviewers) and then
 * proves optimality over the whole pool: every conflict-free pair must have a
 * non-negative reduced cost under the final potentials (no negative residual
 * cycle), and short entries must have no augmenting path. Pairs that fail are
 * added and the instance is solved again.
 */
export interface AssignmentProblem {
  entries: number;
  reviewers: number;
  demand: ArrayLike<number>;
  capacity: ArrayLike<number>;
  /** Row-major entries × reviewers, values in [0, 1]. */
  affinity: Float32Array | Float64Array;
  /** Row-major entries × reviewers; 1 = conflict of interest (回避), never assigned. */
  conflict: Uint8Array;
  /** Affinity below this is a weak review. */
  weakThreshold: number;
  /** Minimize entries with only weak reviewers before maximizing affinity (default true). */
  fairness?: boolean;
  /** Initial candidates per entry (default max(4·demand + 8, 24)). */
  candidatesPerEntry?: number;
}

export interface Shortfall {
  entry: number;
  missing: number;
  /** Conflict-free reviewers in the pool for this entry. */
  conflictFreeReviewers: number;
  reason: 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' | 'CONFLICT_FREE_REVIEWERS_AT_CAPACITY';
}

export interface AssignmentSolution {
  /** Per entry, its reviewers (best affinity first). */
  reviewersOf: number[][];
  load: Int32Array;
  totalAffinity: number;
  /** Integer objective (affinity × 10^6), the value the certificate proves optimal. */
  totalWeight: number;
  shortfalls: Shortfall[];
  weakOnlyEntries: number[];
  certificate: {
    optimal: boolean;
    rounds: number;
    candidatePairs: number;
    checkedPairs: number;
    minReducedCost: number;
    maxFlowProven: boolean;
  };
  stats: { augmentations: number; settled: number };
}

export const AFFINITY_SCALE = 1e6;

/** Indices of the `k` largest values among allowed columns of one row (ties: lower index). */
const topK = (row: (j: number) => number, allowed: (j: number) => boolean, m: number, k: number): number[] => {
  const idx: number[] = [];
  for (let j = 0; j < m; j++) if (allowed(j)) idx.push(j);
  if (idx.length <= k) return idx;
  idx.sort((a, b) => row(b) - row(a) || a - b);
  return idx.slice(0, k);
};

export const solveAssignment = (p: AssignmentProblem): AssignmentSolution => {
  const { entries: n, reviewers: m, demand, capacity, affinity, conflict, weakThreshold } = p;
  const fairness = p.fairness ?? true;
  const weight = (i: number, j: number) => Math.round(affinity[i * m + j]! * AFFINITY_SCALE);
  const strong = (i: number, j: number) => affinity[i * m + j]! >= weakThreshold;
  const free = (i: number, j: number) => conflict[i * m + j] === 0;

  const isCandidate = new Uint8Array(n * m);
  const entryHasStrong = new Uint8Array(n);
  const conflictFree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (demand[i]! <= 0) continue;
    for (let j = 0; j < m; j++) {
      if (!free(i, j)) continue;
      conflictFree[i]!++;
      if (strong(i, j)) entryHasStrong[i] = 1;
    }
    const k = p.candidatesPerEntry ?? Math.max(4 * demand[i]! + 8, 24);
    for (const j of topK((j) => affinity[i * m + j]!, (j) => free(i, j), m, k)) isCandidate[i * m + j] = 1;
  }
  // A bonus larger than the total weight change of any residual cycle keeps the
  // fairness guard strictly ahead of affinity (exact in doubles: < 2^53).
  const fairnessBonus = fairness ? AFFINITY_SCALE * (2 * n + m + 2) : 0;

  let rounds = 0;
  for (;;) {
    rounds++;
    const pairs: number[] = [];
    for (let x = 0; x < n * m; x++) if (isCandidate[x]) pairs.push(x);
    const pairEntry = new Int32Array(pairs.length);
    const pairReviewer = new Int32Array(pairs.length);
    const pairWeight = new Float64Array(pairs.length);
    const pairStrong = new Uint8Array(pairs.length);
    pairs.forEach((x, q) => {
      const i = Math.floor(x / m);
      const j = x - i * m;
      pairEntry[q] = i;
      pairReviewer[q] = j;
      pairWeight[q] = weight(i, j);
      pairStrong[q] = strong(i, j) ? 1 : 0;
    });
    const r = solveBMatching({ entries: n, reviewers: m, demand, capacity, pairEntry, pairReviewer, pairWeight, pairStrong, fairnessBonus, entryHasStrong });

    const assignedAt = new Uint8Array(n * m);
    pairs.forEach((x, q) => (assignedAt[x] = r.assigned[q]!));

    // Dual feasibility over every conflict-free pair outside the candidate set.
    let added = 0;
    let minRc = r.minResidualReducedCost;
    let checked = 0;
    for (let i = 0; i < n; i++) {
      if (demand[i]! <= 0) continue;
      for (let j = 0; j < m; j++) {
        const x = i * m + j;
        if (isCandidate[x] || !free(i, j)) continue;
        checked++;
        const rc = reducedCost(r, n, m, i, j, weight(i, j), strong(i, j));
        if (rc < minRc) minRc = rc;
        if (rc < 0) {
          isCandidate[x] = 1;
          added++;
        }
      }
    }
    // Maximum flow over the whole pool: no augmenting path from a short entry.
    const reached = augmentingReach(r, p, assignedAt);
    if (reached) {
      for (const i of reached) for (let j = 0; j < m; j++) if (free(i, j) && !isCandidate[i * m + j]) (isCandidate[i * m + j] = 1), added++;
    }
    if (added > 0) continue;

    return report(p, r, pairs, assignedAt, conflictFree, {
      optimal: minRc >= 0,
      rounds,
      candidatePairs: pairs.length,
      checkedPairs: checked + pairs.length,
      minReducedCost: minRc,
      maxFlowProven: true,
    });
  }
};

/**
 * Breadth-first search of the full residual network from entries that fell
 * short. Returns the entries reached if the sink is reachable (more flow is
 * possible through non-candidate pairs), else undefined.
 */
const augmentingReach = (r: BMatchingResult, p: AssignmentProblem, assignedAt: Uint8Array): number[] | undefined => {
  const { entries: n, reviewers: m, affinity, conflict, weakThreshold, capacity, demand } = p;
  const short = [...r.shortfall.keys()].filter((i) => r.shortfall[i]! > 0);
  if (!short.length) return undefined;
  const N = nodes(n, m);
  const load = new Int32Array(m);
  const strongAssigned = new Int32Array(n);
  const assignedOf: number[][] = Array.from({ length: m }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if (!assignedAt[i * m + j]) continue;
      load[j]!++;
      assignedOf[j]!.push(i);
      if (affinity[i * m + j]! >= weakThreshold) strongAssigned[i]!++;
    }
  }
  const seen = new Uint8Array(N.count);
  const queue: number[] = [];
  const visit = (v: number) => {
    if (!seen[v]) (seen[v] = 1), queue.push(v);
  };
  short.forEach((i) => visit(N.entry(i)));
  const viaHub = (i: number, j: number) => r.usesHub[i] === 1 && affinity[i * m + j]! >= weakThreshold;
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    if (v === N.sink) return [...new Set(queue.filter((u) => u < 2 * n).map((u) => (u < n ? u : u - n)))];
    if (v < 2 * n) {
      const i = v < n ? v : v - n;
      const atHub = v >= n;
      if (!atHub && r.usesHub[i] && strongAssigned[i]! < demand[i]!) visit(N.hub(i));
      if (atHub && strongAssigned[i]! > 0) visit(N.entry(i));
      for (let j = 0; j < m; j++) {
        if (conflict[i * m + j] || assignedAt[i * m + j]) continue;
        if (viaHub(i, j) === atHub) visit(N.reviewer(j));
      }
    } else {
      const j = v - 2 * n;
      if (load[j]! < capacity[j]!) visit(N.sink);
      for (const i of assignedOf[j]!) visit(viaHub(i, j) ? N.hub(i) : N.entry(i));
    }
  }
  return undefined;
};

const report = (
  p: AssignmentProblem,
  r: BMatchingResult,
  pairs: number[],
  assignedAt: Uint8Array,
  conflictFree: Int32Array,
  certificate: AssignmentSolution['certificate'],
): AssignmentSolution => {
  const { entries: n, reviewers: m, affinity, weakThreshold, demand } = p;
  const reviewersOf: number[][] = Array.from({ length: n }, () => []);
  const load = new Int32Array(m);
  let totalAffinity = 0;
  let totalWeight = 0;
  for (const x of pairs) {
    if (!assignedAt[x]) continue;
    const i = Math.floor(x / m);
    const j = x - i * m;
    reviewersOf[i]!.push(j);
    load[j]!++;
    totalAffinity += affinity[x]!;
    totalWeight += Math.round(affinity[x]! * AFFINITY_SCALE);
  }
  for (let i = 0; i < n; i++) reviewersOf[i]!.sort((a, b) => affinity[i * m + b]! - affinity[i * m + a]! || a - b);
  const weakOnlyEntries = reviewersOf.flatMap((js, i) => (js.length && js.every((j) => affinity[i * m + j]! < weakThreshold) ? [i] : []));
  const shortfalls: Shortfall[] = [];
  for (let i = 0; i < n; i++) {
    const missing = r.shortfall[i]!;
    if (!missing) continue;
    shortfalls.push({
      entry: i,
      missing,
      conflictFreeReviewers: conflictFree[i]!,
      reason: conflictFree[i]! < demand[i]! ? 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' : 'CONFLICT_FREE_REVIEWERS_AT_CAPACITY',
    });
  }
  return { reviewersOf, load, totalAffinity, totalWeight, shortfalls, weakOnlyEntries, certificate, stats: r.stats };
};
