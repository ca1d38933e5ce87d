/**
 * Exact maximum-weight bipartite b-matching (entries × reviewers, each pair used
 * at most once) as a min-cost flow, solved by successive shortest paths with
 * node potentials (Dijkstra on non-negative reduced costs).
 *
 * Objective, lexicographically: (1) as many assignments as the pool allows,
 * (2) as many entries as possible with at least one strong reviewer (the
 * fairness guard), (3) maximum total weight. (1) is what successive shortest
 * paths deliver (a min-cost flow of maximum value); (2) is a bonus arc per entry,
 * larger than any weight change a residual cycle can make, so it dominates (3).
 *
 * Network: entry i (supply = demand_i) → [hub_i] → reviewer j → sink.
 * Weak pairs leave i directly; strong pairs leave hub_i, whose first unit from i
 * carries the bonus. Every pair stays a single arc, so no pair is used twice.
 * Weights are integers (affinity × 10^6) so the optimum is exact.
 */

export interface BMatchingInput {
  entries: number;
  reviewers: number;
  demand: ArrayLike<number>;
  capacity: ArrayLike<number>;
  /** Candidate pairs, parallel arrays. */
  pairEntry: Int32Array;
  pairReviewer: Int32Array;
  /** Integer weight per pair (higher is better). */
  pairWeight: Float64Array;
  /** 1 when the pair counts as a strong (non-weak) review for the fairness guard. */
  pairStrong: Uint8Array;
  /** Units a pair may carry (default 1); the randomized mode scales probabilities to integers this way. */
  pairCapacity?: number;
  /** Bonus for an entry's first strong reviewer; 0 turns the fairness guard off. */
  fairnessBonus: number;
  /**
   * Entries with a strong pair anywhere in the pool (not only among the
   * candidates), so the network has the same shape the certificate checks.
   */
  entryHasStrong?: Uint8Array;
  /**
   * What to do when some demand cannot be met: 'optimize' re-solves from a super
   * source so the choice of unmet units is optimal too; 'report' returns the
   * per-entry result as is (the caller will enlarge the candidate set first).
   */
  onShortfall?: 'optimize' | 'report';
}

export interface BMatchingResult {
  /** Units on each candidate pair: 1 where assigned (0..pairCapacity in general). */
  assigned: Uint8Array;
  /** Units of demand that could not be routed, per entry. */
  shortfall: Int32Array;
  /** Final node potentials (the dual solution); see `reducedCost`. */
  potential: Float64Array;
  /** Entries whose strong pairs leave through their fairness hub. */
  usesHub: Uint8Array;
  /** Smallest reduced cost over every residual arc of the solved network (≥ 0 when optimal). */
  minResidualReducedCost: number;
  stats: { augmentations: number; settled: number };
}

/** Node numbering shared by the solver and its certificate. */
export const nodes = (n: number, m: number) => ({
  entry: (i: number) => i,
  hub: (i: number) => n + i,
  reviewer: (j: number) => 2 * n + j,
  sink: 2 * n + m,
  /** Super source, used only when some demand cannot be met (see solveBMatching). */
  source: 2 * n + m + 1,
  count: 2 * n + m + 2,
});

class Graph {
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly to: Int32Array;
  readonly cap: Int32Array;
  readonly cost: Float64Array;
  private size = 0;

  constructor(nodeCount: number, arcCount: number) {
    this.head = new Int32Array(nodeCount).fill(-1);
    this.next = new Int32Array(2 * arcCount);
    this.to = new Int32Array(2 * arcCount);
    this.cap = new Int32Array(2 * arcCount);
    this.cost = new Float64Array(2 * arcCount);
  }

  /** Adds u→v and its residual twin v→u (index e ^ 1); returns the forward index. */
  add(u: number, v: number, cap: number, cost: number): number {
    const e = this.size;
    this.to[e] = v;
    this.cap[e] = cap;
    this.cost[e] = cost;
    this.next[e] = this.head[u]!;
    this.head[u] = e;
    this.to[e + 1] = u;
    this.cap[e + 1] = 0;
    this.cost[e + 1] = -cost;
    this.next[e + 1] = this.head[v]!;
    this.head[v] = e + 1;
    this.size += 2;
    return e;
  }
}

/** Binary min-heap of (key, node) with lazy deletion. */
class Heap {
  private keys = new Float64Array(1024);
  private vals = new Int32Array(1024);
  size = 0;

  clear() {
    this.size = 0;
  }

  push(key: number, val: number) {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const v = new Int32Array(this.size * 2);
      v.set(this.vals);
      this.vals = v;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.keys[i] = this.keys[p]!;
      this.vals[i] = this.vals[p]!;
      i = p;
    }
    this.keys[i] = key;
    this.vals[i] = val;
  }

  /** Pops the minimum; returns its node and leaves its key in `lastKey`. */
  lastKey = 0;
  pop(): number {
    const top = this.vals[0]!;
    this.lastKey = this.keys[0]!;
    const key = this.keys[--this.size]!;
    const val = this.vals[this.size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.keys[c + 1]! < this.keys[c]!) c++;
      if (this.keys[c]! >= key) break;
      this.keys[i] = this.keys[c]!;
      this.vals[i] = this.vals[c]!;
      i = c;
    }
    this.keys[i] = key;
    this.vals[i] = val;
    return top;
  }
}

/**
 * When every unit of demand can be routed, successive shortest paths from each
 * entry in turn is optimal (a transportation problem) and fast: each search
 * stops at the first free reviewer. When some demand cannot be met, which units
 * go unserved is itself a choice, so the solve is repeated from a super source
 * that picks the cheapest path globally at every step.
 */
export const solveBMatching = (input: BMatchingInput): BMatchingResult => {
  const perEntry = solveWith(input, false);
  if (input.onShortfall === 'report' || !perEntry.shortfall.some((x) => x > 0)) return perEntry;
  return solveWith(input, true);
};

const solveWith = (input: BMatchingInput, superSource: boolean): BMatchingResult => {
  const { entries: n, reviewers: m, demand, capacity, pairEntry, pairReviewer, pairWeight, pairStrong, fairnessBonus } = input;
  const N = nodes(n, m);
  const pairs = pairEntry.length;
  const pairCapacity = input.pairCapacity ?? 1;
  const hasStrong = new Uint8Array(n);
  if (fairnessBonus > 0) {
    if (input.entryHasStrong) hasStrong.set(input.entryHasStrong);
    for (let p = 0; p < pairs; p++) if (pairStrong[p]) hasStrong[pairEntry[p]!] = 1;
  }

  const g = new Graph(N.count, pairs + 3 * n + m);
  const sourceArc = new Int32Array(n).fill(-1);
  if (superSource) for (let i = 0; i < n; i++) if (demand[i]! > 0) sourceArc[i] = g.add(N.source, N.entry(i), demand[i]!, 0);
  for (let i = 0; i < n; i++) if (demand[i]! <= 0) hasStrong[i] = 0;
  for (let i = 0; i < n; i++) {
    if (!hasStrong[i]) continue;
    g.add(N.entry(i), N.hub(i), 1, -fairnessBonus);
    if (demand[i]! > 1) g.add(N.entry(i), N.hub(i), demand[i]! - 1, 0);
  }
  const pairArc = new Int32Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const i = pairEntry[p]!;
    const from = hasStrong[i] && pairStrong[p] ? N.hub(i) : N.entry(i);
    pairArc[p] = g.add(from, N.reviewer(pairReviewer[p]!), pairCapacity, -pairWeight[p]!);
  }
  for (let j = 0; j < m; j++) if (capacity[j]! > 0) g.add(N.reviewer(j), N.sink, capacity[j]!, 0);

  // Initial potentials: shortest distances in the (acyclic) initial network from
  // a virtual source at every entry, so every reduced cost starts non-negative.
  const h = new Float64Array(N.count).fill(Infinity);
  h[N.source] = 0;
  for (let i = 0; i < n; i++) h[N.entry(i)] = 0;
  const relaxFrom = (u: number) => {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! > 0 && h[u]! + g.cost[e]! < h[g.to[e]!]!) h[g.to[e]!] = h[u]! + g.cost[e]!;
    }
  };
  for (let i = 0; i < n; i++) relaxFrom(N.entry(i));
  for (let i = 0; i < n; i++) if (h[N.hub(i)] !== Infinity) relaxFrom(N.hub(i));
  for (let j = 0; j < m; j++) if (h[N.reviewer(j)] !== Infinity) relaxFrom(N.reviewer(j));
  // Nodes nothing reaches keep potential 0: they have no incoming residual arc yet,
  // and reverse arcs into them only appear once flow passes, after they are settled.
  for (let v = 0; v < N.count; v++) if (h[v] === Infinity) h[v] = 0;

  const dist = new Float64Array(N.count);
  const stamp = new Int32Array(N.count); // run id in which dist[v] was set
  const done = new Int32Array(N.count); // run id in which v was settled
  const predArc = new Int32Array(N.count);
  const settledList = new Int32Array(N.count);
  const heap = new Heap();
  const shortfall = new Int32Array(n);
  let run = 0;
  let augmentations = 0;
  let settledTotal = 0;

  /** One shortest path from `source` to the sink on reduced costs; augments one unit. */
  const augmentFrom = (source: number): boolean => {
    run++;
    heap.clear();
    dist[source] = 0;
    stamp[source] = run;
    heap.push(0, source);
    let settled = 0;
    let reached = false;
    while (heap.size) {
      const u = heap.pop();
      const du = heap.lastKey;
      if (done[u] === run || du > dist[u]!) continue;
      done[u] = run;
      settledList[settled++] = u;
      if (u === N.sink) {
        reached = true;
        break;
      }
      const hu = h[u]!;
      for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
        if (g.cap[e]! <= 0) continue;
        const v = g.to[e]!;
        if (done[v] === run) continue;
        const nd = du + g.cost[e]! + hu - h[v]!;
        if (stamp[v] !== run || nd < dist[v]!) {
          dist[v] = nd;
          stamp[v] = run;
          predArc[v] = e;
          heap.push(nd, v);
        }
      }
    }
    settledTotal += settled;
    if (!reached) return false;
    const D = dist[N.sink]!;
    for (let k = 0; k < settled; k++) {
      const v = settledList[k]!;
      h[v] = h[v]! + dist[v]! - D;
    }
    for (let v = N.sink; v !== source; v = g.to[predArc[v]! ^ 1]!) {
      const e = predArc[v]!;
      g.cap[e] = g.cap[e]! - 1;
      g.cap[e ^ 1] = g.cap[e ^ 1]! + 1;
    }
    augmentations++;
    return true;
  };

  if (superSource) {
    while (augmentFrom(N.source));
    for (let i = 0; i < n; i++) if (sourceArc[i]! >= 0) shortfall[i] = g.cap[sourceArc[i]!]!;
  } else {
    for (let i = 0; i < n; i++) {
      for (let unit = 0; unit < demand[i]!; unit++) {
        if (!augmentFrom(N.entry(i))) {
          // No residual path now means none later either: more flow only removes paths.
          shortfall[i] = demand[i]! - unit;
          break;
        }
      }
    }
  }

  const assigned = new Uint8Array(pairs);
  for (let p = 0; p < pairs; p++) assigned[p] = pairCapacity - g.cap[pairArc[p]!]!;
  let minRc = Infinity;
  for (let u = 0; u < N.count; u++) {
    for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
      if (g.cap[e]! > 0) minRc = Math.min(minRc, g.cost[e]! + h[u]! - h[g.to[e]!]!);
    }
  }
  return { assigned, shortfall, potential: h, usesHub: hasStrong, minResidualReducedCost: minRc, stats: { augmentations, settled: settledTotal } };
};
