import { BMatchingSolver, nodes, type BMatchingResult } from './bmatching.ts';

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
  /** Initial candidates per entry (default max(6·demand + 2, 32)); the certificate adds more when needed. */
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

/**
 * Adds the `k` best conflict-free reviewers of entry `i` to the candidates
 * (ties: lower index), with a size-k min-heap: O(m log k) per entry.
 */
const addTopK = (p: AssignmentProblem, isCandidate: Uint8Array, i: number, k: number): number => {
  const { reviewers: m, affinity, conflict } = p;
  const base = i * m;
  const heapVal = new Float64Array(k);
  const heapIdx = new Int32Array(k);
  let size = 0;
  // Heap order: smaller affinity first; on equal affinity the larger index is "smaller" (evicted first).
  const less = (va: number, ia: number, vb: number, ib: number) => va < vb || (va === vb && ia > ib);
  for (let j = 0; j < m; j++) {
    if (conflict[base + j]) continue;
    const v = affinity[base + j]!;
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!less(v, j, heapVal[parent]!, heapIdx[parent]!)) break;
        heapVal[c] = heapVal[parent]!;
        heapIdx[c] = heapIdx[parent]!;
        c = parent;
      }
      heapVal[c] = v;
      heapIdx[c] = j;
    } else if (less(heapVal[0]!, heapIdx[0]!, v, j)) {
      let c = 0;
      for (;;) {
        let child = 2 * c + 1;
        if (child >= size) break;
        if (child + 1 < size && less(heapVal[child + 1]!, heapIdx[child + 1]!, heapVal[child]!, heapIdx[child]!))
          child++;
        if (!less(heapVal[child]!, heapIdx[child]!, v, j)) break;
        heapVal[c] = heapVal[child]!;
        heapIdx[c] = heapIdx[child]!;
        c = child;
      }
      heapVal[c] = v;
      heapIdx[c] = j;
    }
  }
  let added = 0;
  for (let q = 0; q < size; q++) {
    const x = base + heapIdx[q]!;
    if (!isCandidate[x]) {
      isCandidate[x] = 1;
      added++;
    }
  }
  return added;
};

/** At most this many of an entry's most negative reduced-cost pairs join the candidates per round. */
const ADD_PER_ENTRY = 16;

export const solveAssignment = (p: AssignmentProblem): AssignmentSolution => {
  const { entries: n, reviewers: m, demand, capacity, affinity, conflict, weakThreshold } = p;
  const fairness = p.fairness ?? true;

  const isCandidate = new Uint8Array(n * m);
  const entryHasStrong = new Uint8Array(n);
  const conflictFree = new Int32Array(n);
  const kOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (demand[i]! <= 0) continue;
    for (let j = 0; j < m; j++) {
      const x = i * m + j;
      if (conflict[x]) continue;
      conflictFree[i]!++;
      if (affinity[x]! >= weakThreshold) entryHasStrong[i] = 1;
    }
    kOf[i] = p.candidatesPerEntry ?? Math.max(6 * demand[i]! + 2, 32);
    addTopK(p, isCandidate, i, kOf[i]!);
  }
  // A bonus larger than the total weight change of any residual cycle keeps the
  // fairness guard strictly ahead of affinity (exact in doubles: < 2^53).
  const fairnessBonus = fairness ? AFFINITY_SCALE * (2 * n + m + 2) : 0;

  // Candidate pairs in the order the solver holds them; new ones are appended.
  const pairs: number[] = [];
  const batch = (xs: number[]) => {
    const pairEntry = new Int32Array(xs.length);
    const pairReviewer = new Int32Array(xs.length);
    const pairWeight = new Float64Array(xs.length);
    const pairStrong = new Uint8Array(xs.length);
    xs.forEach((x, q) => {
      const i = Math.floor(x / m);
      pairEntry[q] = i;
      pairReviewer[q] = x - i * m;
      pairWeight[q] = Math.round(affinity[x]! * AFFINITY_SCALE);
      pairStrong[q] = affinity[x]! >= weakThreshold ? 1 : 0;
    });
    return { pairEntry, pairReviewer, pairWeight, pairStrong };
  };
  const pending: number[] = [];
  for (let x = 0; x < n * m; x++) if (isCandidate[x]) pending.push(x);
  const base = { entries: n, reviewers: m, demand, capacity, fairnessBonus, entryHasStrong };
  let solver = new BMatchingSolver({ ...base, ...batch(pending) }, false);
  for (const x of pending) pairs.push(x);
  solver.routeAll();
  let global = false;
  const add = (xs: number[]) => {
    solver.addPairs(batch(xs));
    for (const x of xs) pairs.push(x);
  };

  let rounds = 0;
  for (;;) {
    rounds++;
    let r = solver.result();
    let assignedAt = assignment(r, pairs, n * m);

    if (r.shortfall.some((x) => x > 0)) {
      const reached = augmentingReach(r, p, assignedAt);
      if (reached) {
        // More flow exists through pairs not yet considered: widen the short entries' candidates
        // first, then everything the augmenting search reached.
        const fresh: number[] = [];
        const widen = (i: number) => {
          const before = new Set<number>();
          for (let j = 0; j < m; j++) if (isCandidate[i * m + j]) before.add(j);
          kOf[i] = Math.min(m, kOf[i]! * 2);
          addTopK(p, isCandidate, i, kOf[i]!);
          for (let j = 0; j < m; j++) if (isCandidate[i * m + j] && !before.has(j)) fresh.push(i * m + j);
        };
        for (let i = 0; i < n; i++) if (r.shortfall[i]! > 0) widen(i);
        if (!fresh.length) for (const i of reached) widen(i);
        if (fresh.length) {
          add(fresh);
          continue;
        }
      }
      if (!global) {
        // The pool allows no more: choose optimally which demand goes unmet.
        solver = new BMatchingSolver({ ...base, ...batch(pairs) }, true);
        solver.routeAll();
        global = true;
        r = solver.result();
        assignedAt = assignment(r, pairs, n * m);
      }
    }

    // Dual feasibility over every conflict-free pair outside the candidate set.
    const pot = r.potential;
    let minRc = r.minResidualReducedCost;
    let checked = pairs.length;
    const fresh: number[] = [];
    const violations: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      if (demand[i]! <= 0) continue;
      const rowBase = i * m;
      const fromEntry = pot[i]!;
      const fromHub = r.usesHub[i] ? pot[n + i]! : fromEntry;
      violations.length = 0;
      for (let j = 0; j < m; j++) {
        const x = rowBase + j;
        if (isCandidate[x] || conflict[x]) continue;
        checked++;
        const a = affinity[x]!;
        const rc = -Math.round(a * AFFINITY_SCALE) + (a >= weakThreshold ? fromHub : fromEntry) - pot[2 * n + j]!;
        if (rc < minRc) minRc = rc;
        if (rc < 0) violations.push([rc, x]);
      }
      if (violations.length) {
        violations.sort((u, v) => u[0] - v[0] || u[1] - v[1]);
        for (const [, x] of violations.slice(0, ADD_PER_ENTRY)) {
          isCandidate[x] = 1;
          fresh.push(x);
        }
      }
    }
    if (fresh.length) {
      add(fresh);
      continue;
    }

    return report(p, r, pairs, assignedAt, conflictFree, {
      optimal: minRc >= 0,
      rounds,
      candidatePairs: pairs.length,
      checkedPairs: checked,
      minReducedCost: minRc,
      maxFlowProven: true,
    });
  }
};

const assignment = (r: BMatchingResult, pairs: number[], size: number) => {
  const at = new Uint8Array(size);
  for (let q = 0; q < pairs.length; q++) at[pairs[q]!] = r.assigned[q]!;
  return at;
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
    if (seen[v]) return;
    seen[v] = 1;
    queue.push(v);
  };
  for (const i of short) visit(N.entry(i));
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
  const weakOnlyEntries = reviewersOf.flatMap((js, i) =>
    js.length && js.every((j) => affinity[i * m + j]! < weakThreshold) ? [i] : [],
  );
  const shortfalls: Shortfall[] = [];
  for (let i = 0; i < n; i++) {
    const missing = r.shortfall[i]!;
    if (!missing) continue;
    shortfalls.push({
      entry: i,
      missing,
      conflictFreeReviewers: conflictFree[i]!,
      reason:
        conflictFree[i]! < demand[i]! ? 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' : 'CONFLICT_FREE_REVIEWERS_AT_CAPACITY',
    });
  }
  return { reviewersOf, load, totalAffinity, totalWeight, shortfalls, weakOnlyEntries, certificate, stats: r.stats };
};
