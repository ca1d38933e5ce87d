import { solveBMatching } from './bmatching.ts';
import { rng } from './rng.ts';
import { AFFINITY_SCALE, type AssignmentProblem, type AssignmentSolution, type Shortfall } from './solve.ts';

/**
 * Randomized assignment for rules that require experts drawn at random
 * (专家随机抽取): every expert–entry pair is chosen with probability at most
 * `maxPairProbability`, and expected total affinity is as high as possible.
 *
 * 1. The fractional problem: x_ij ∈ [0, q] with the same demand and capacity
 *    rows. With q ≈ a/b (b ≤ 20, never above q) it is an integral flow with
 *    pair capacity a, demands ×b and capacities ×b, so its optimum is exact.
 * 2. Dependent rounding (Gandhi et al., 2006) turns x into one assignment with
 *    P(pair chosen) = x_ij exactly, entries keeping their demand and every
 *    reviewer's load within ⌊Σx⌋..⌈Σx⌉ (so within capacity). Integer arithmetic
 *    in units of 1/b throughout; the seed makes a draw reproducible.
 */
export const probabilityFraction = (q: number): [number, number] => {
  let best: [number, number] = [0, 1];
  for (let b = 1; b <= 20; b++) {
    const a = Math.floor(q * b + 1e-12);
    if (a / b > best[0] / best[1]) best = [a, b];
  }
  return best;
};

export interface RandomizedSolution extends AssignmentSolution {
  /** Probability of each entry–reviewer pair (row-major), as realized by the rounding. */
  marginals: Float64Array;
  expectedAffinity: number;
  pairProbabilityCap: number;
}

export const solveRandomized = (p: AssignmentProblem, maxPairProbability: number, seed: number): RandomizedSolution => {
  const { entries: n, reviewers: m, demand, capacity, affinity, conflict, weakThreshold } = p;
  const [a, b] = probabilityFraction(maxPairProbability);
  if (a === 0) throw new Error(`maxPairProbability ${maxPairProbability} is too small (below 1/20)`);

  const pairs: number[] = [];
  for (let x = 0; x < n * m; x++) if (!conflict[x]) pairs.push(x);
  const r = solveBMatching({
    entries: n,
    reviewers: m,
    demand: Int32Array.from(demand as ArrayLike<number>, (d) => d * b),
    capacity: Int32Array.from(capacity as ArrayLike<number>, (c) => c * b),
    pairEntry: Int32Array.from(pairs, (x) => Math.floor(x / m)),
    pairReviewer: Int32Array.from(pairs, (x) => x % m),
    pairWeight: Float64Array.from(pairs, (x) => Math.round(affinity[x]! * AFFINITY_SCALE)),
    pairStrong: new Uint8Array(pairs.length),
    pairCapacity: a,
    fairnessBonus: 0,
    onShortfall: 'optimize',
  });

  // y in units of 1/b; marginals as probabilities.
  const marginals = new Float64Array(n * m);
  const edges: Array<{ i: number; j: number; y: number }> = [];
  let expectedAffinity = 0;
  pairs.forEach((x, q) => {
    const y = r.assigned[q]!;
    if (!y) return;
    marginals[x] = y / b;
    expectedAffinity += (y / b) * affinity[x]!;
    edges.push({ i: Math.floor(x / m), j: x % m, y });
  });
  const chosen = dependentRounding(edges, n, m, b, rng(seed));

  const reviewersOf: number[][] = Array.from({ length: n }, () => []);
  const load = new Int32Array(m);
  let totalAffinity = 0;
  let totalWeight = 0;
  for (const e of chosen) {
    reviewersOf[e.i]!.push(e.j);
    load[e.j]!++;
    totalAffinity += affinity[e.i * m + e.j]!;
    totalWeight += Math.round(affinity[e.i * m + e.j]! * AFFINITY_SCALE);
  }
  for (let i = 0; i < n; i++) reviewersOf[i]!.sort((u, v) => affinity[i * m + v]! - affinity[i * m + u]! || u - v);
  const shortfalls: Shortfall[] = [];
  for (let i = 0; i < n; i++) {
    const missing = demand[i]! - reviewersOf[i]!.length;
    if (missing <= 0) continue;
    let free = 0;
    for (let j = 0; j < m; j++) if (!conflict[i * m + j]) free++;
    shortfalls.push({
      entry: i,
      missing,
      conflictFreeReviewers: free,
      reason:
        free * (a / b) < demand[i]! ? 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' : 'CONFLICT_FREE_REVIEWERS_AT_CAPACITY',
    });
  }
  return {
    reviewersOf,
    load,
    totalAffinity,
    totalWeight,
    shortfalls,
    weakOnlyEntries: reviewersOf.flatMap((js, i) =>
      js.length && js.every((j) => affinity[i * m + j]! < weakThreshold) ? [i] : [],
    ),
    certificate: {
      optimal: r.minResidualReducedCost >= 0,
      rounds: 1,
      candidatePairs: pairs.length,
      checkedPairs: pairs.length,
      minReducedCost: r.minResidualReducedCost,
      maxFlowProven: true,
    },
    stats: r.stats,
    marginals,
    expectedAffinity,
    pairProbabilityCap: a / b,
  };
};

/**
 * Rounds a fractional bipartite b-matching (values y/b) to 0/1 while keeping
 * every edge's marginal: repeatedly take a cycle or a maximal path of
 * fractional edges and shift it by +α/−α or −β/+β, with probabilities that keep
 * each expectation; each step makes at least one edge integral.
 */
const dependentRounding = (
  edges: Array<{ i: number; j: number; y: number }>,
  n: number,
  m: number,
  b: number,
  random: () => number,
) => {
  const y = edges.map((e) => e.y);
  const node = (k: number, side: 0 | 1) => (side === 0 ? edges[k]!.i : n + edges[k]!.j);
  const adj: number[][] = Array.from({ length: n + m }, () => []);
  const fractional = (k: number) => y[k]! > 0 && y[k]! < b;
  edges.forEach((e, k) => {
    if (!fractional(k)) return;
    adj[e.i]!.push(k);
    adj[n + e.j]!.push(k);
  });
  const degree = (v: number) => {
    const list = adj[v]!;
    // Lazy deletion: drop edges that became integral.
    for (let t = list.length - 1; t >= 0; t--) if (!fractional(list[t]!)) list.splice(t, 1);
    return list.length;
  };
  const other = (k: number, v: number) => (node(k, 0) === v ? node(k, 1) : node(k, 0));
  const walkFrom = (from: number) => {
    let v = from;
    const edgesWalked: number[] = [];
    const seenAt = new Map<number, number>([[v, 0]]);
    let prevEdge = -1;
    for (;;) {
      const next = adj[v]!.find((k) => k !== prevEdge && fractional(k));
      if (next === undefined) return { edges: edgesWalked, end: v };
      edgesWalked.push(next);
      v = other(next, v);
      prevEdge = next;
      const at = seenAt.get(v);
      if (at !== undefined) return { edges: edgesWalked, end: v, cycle: edgesWalked.slice(at) };
      seenAt.set(v, edgesWalked.length);
    }
  };

  for (let start = 0; start < n + m; start++) {
    for (;;) {
      if (degree(start) === 0) break;
      // Walk until an edge closes a cycle or the walk gets stuck at a path end; a
      // second walk from that end then yields a maximal path (or a cycle).
      const first = walkFrom(start);
      const segment =
        first.cycle ??
        (() => {
          const second = walkFrom(first.end);
          return second.cycle ?? second.edges;
        })();
      if (!segment.length) break;
      let alpha = Infinity; // step up odd edges
      let beta = Infinity; // step down odd edges
      segment.forEach((k, t) => {
        if (t % 2 === 0) {
          alpha = Math.min(alpha, b - y[k]!);
          beta = Math.min(beta, y[k]!);
        } else {
          alpha = Math.min(alpha, y[k]!);
          beta = Math.min(beta, b - y[k]!);
        }
      });
      const up = random() * (alpha + beta) < beta;
      segment.forEach((k, t) => {
        const sign = (t % 2 === 0 ? 1 : -1) * (up ? 1 : -1);
        y[k] = y[k]! + sign * (up ? alpha : beta);
      });
    }
  }
  return edges.filter((_, k) => y[k] === b);
};
