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
  next: Int32Array;
  to: Int32Array;
  cap: Int32Array;
  cost: Float64Array;
  private size = 0;

  constructor(nodeCount: number, arcCount: number) {
    this.head = new Int32Array(nodeCount).fill(-1);
    this.next = new Int32Array(2 * arcCount);
    this.to = new Int32Array(2 * arcCount);
    this.cap = new Int32Array(2 * arcCount);
    this.cost = new Float64Array(2 * arcCount);
  }

  private grow() {
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2 + 2);
      b.set(a);
      return b;
    };
    this.next = more(this.next);
    this.to = more(this.to);
    this.cap = more(this.cap);
    this.cost = more(this.cost);
  }

  /** Adds u→v and its residual twin v→u (index e ^ 1); returns the forward index. */
  add(u: number, v: number, cap: number, cost: number): number {
    if (this.size + 2 > this.to.length) this.grow();
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
  const perEntry = new BMatchingSolver(input, false);
  perEntry.routeAll();
  const first = perEntry.result();
  if (input.onShortfall === 'report' || !first.shortfall.some((x) => x > 0)) return first;
  const global = new BMatchingSolver(input, true);
  global.routeAll();
  return global.result();
};

/**
 * The solver with its state kept, so pairs can be added after a solve (the
 * certificate's column generation) without starting over: a new pair with a
 * negative reduced cost is saturated and the unit it displaced is routed back
 * along a shortest path, which keeps every reduced cost non-negative.
 */
export class BMatchingSolver {
  private readonly n: number;
  private readonly N: ReturnType<typeof nodes>;
  private readonly g: Graph;
  private readonly h: Float64Array;
  private readonly hasStrong: Uint8Array;
  private readonly sourceArc: Int32Array;
  private readonly remaining: Int32Array;
  private readonly pairArc: number[] = [];
  private readonly pairCapacity: number;
  private readonly dist: Float64Array;
  private readonly stamp: Int32Array;
  private readonly done: Int32Array;
  private readonly predArc: Int32Array;
  private readonly settledList: Int32Array;
  private readonly heap = new Heap();
  private run = 0;
  private augmentations = 0;
  private settledTotal = 0;

  constructor(
    input: BMatchingInput,
    private readonly superSource: boolean,
  ) {
    const { entries: n, reviewers: m, demand, capacity, pairEntry, pairStrong, fairnessBonus } = input;
    this.n = n;
    const N = nodes(n, m);
    this.N = N;
    const pairs = pairEntry.length;
    this.pairCapacity = input.pairCapacity ?? 1;
    const hasStrong = new Uint8Array(n);
    this.hasStrong = hasStrong;
    if (fairnessBonus > 0) {
      if (input.entryHasStrong) hasStrong.set(input.entryHasStrong);
      for (let p = 0; p < pairs; p++) if (pairStrong[p]) hasStrong[pairEntry[p]!] = 1;
    }
    for (let i = 0; i < n; i++) if (demand[i]! <= 0) hasStrong[i] = 0;
    const g = new Graph(N.count, pairs + 3 * n + m);
    this.g = g;
    this.sourceArc = new Int32Array(n).fill(-1);
    this.remaining = Int32Array.from({ length: n }, (_, i) => Math.max(0, demand[i]!));
    if (superSource)
      for (let i = 0; i < n; i++) if (demand[i]! > 0) this.sourceArc[i] = g.add(N.source, N.entry(i), demand[i]!, 0);
    for (let i = 0; i < n; i++) {
      if (!hasStrong[i]) continue;
      g.add(N.entry(i), N.hub(i), 1, -fairnessBonus);
      if (demand[i]! > 1) g.add(N.entry(i), N.hub(i), demand[i]! - 1, 0);
    }
    for (let p = 0; p < pairs; p++)
      this.pairArc.push(
        g.add(this.tailOf(p, input), N.reviewer(input.pairReviewer[p]!), this.pairCapacity, -input.pairWeight[p]!),
      );
    for (let j = 0; j < m; j++) if (capacity[j]! > 0) g.add(N.reviewer(j), N.sink, capacity[j]!, 0);

    // Initial potentials: shortest distances in the (acyclic) initial network from
    // a virtual source at every entry, so every reduced cost starts non-negative.
    const h = new Float64Array(N.count).fill(Infinity);
    this.h = h;
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
    // Nodes nothing reaches keep potential 0 (≥ every reached node's, so their arcs
    // to the sink stay non-negative); arcs added into them later are repaired.
    for (let v = 0; v < N.count; v++) if (h[v] === Infinity) h[v] = 0;

    this.dist = new Float64Array(N.count);
    this.stamp = new Int32Array(N.count);
    this.done = new Int32Array(N.count);
    this.predArc = new Int32Array(N.count);
    this.settledList = new Int32Array(N.count);
  }

  private tailOf(p: number, input: { pairEntry: Int32Array; pairStrong: Uint8Array }) {
    const i = input.pairEntry[p]!;
    return this.hasStrong[i] && input.pairStrong[p] ? this.N.hub(i) : this.N.entry(i);
  }

  /** Dijkstra on reduced costs from `source`, stopping at `target`; moves one unit along the path. */
  private augment(source: number, target: number): boolean {
    const { g, h, dist, stamp, done, predArc, settledList, heap } = this;
    const run = ++this.run;
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
      if (u === target) {
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
    this.settledTotal += settled;
    if (!reached) return false;
    const D = dist[target]!;
    for (let k = 0; k < settled; k++) {
      const v = settledList[k]!;
      h[v] = h[v]! + dist[v]! - D;
    }
    for (let v = target; v !== source; v = g.to[predArc[v]! ^ 1]!) {
      const e = predArc[v]!;
      g.cap[e] = g.cap[e]! - 1;
      g.cap[e ^ 1] = g.cap[e ^ 1]! + 1;
    }
    this.augmentations++;
    return true;
  }

  /** Routes every unit of demand that can still be routed. */
  routeAll() {
    const { N } = this;
    if (this.superSource) {
      while (this.augment(N.source, N.sink));
      for (let i = 0; i < this.n; i++)
        this.remaining[i] = this.sourceArc[i]! >= 0 ? this.g.cap[this.sourceArc[i]!]! : 0;
      return;
    }
    for (let i = 0; i < this.n; i++) {
      while (this.remaining[i]! > 0) {
        // No residual path now means none later, unless pairs are added.
        if (!this.augment(N.entry(i), N.sink)) break;
        this.remaining[i]!--;
      }
    }
  }

  /** Adds candidate pairs to the solved network and restores optimality. */
  addPairs(pairs: {
    pairEntry: Int32Array;
    pairReviewer: Int32Array;
    pairWeight: Float64Array;
    pairStrong: Uint8Array;
  }) {
    const { g, h, N } = this;
    for (let p = 0; p < pairs.pairEntry.length; p++) {
      const from = this.tailOf(p, pairs);
      const to = N.reviewer(pairs.pairReviewer[p]!);
      const cost = -pairs.pairWeight[p]!;
      const e = g.add(from, to, this.pairCapacity, cost);
      this.pairArc.push(e);
      if (cost + h[from]! - h[to]! >= 0) continue;
      // Profitable at the current prices: saturate it, then send the displaced units back.
      const units = g.cap[e]!;
      g.cap[e] = 0;
      g.cap[e ^ 1] = units;
      for (let k = 0; k < units; k++) {
        if (!this.augment(to, from)) throw new Error('internal: no path back along the reverse arc');
      }
    }
    this.routeAll();
  }

  result(): BMatchingResult {
    const { g, h, N } = this;
    const pairs = this.pairArc.length;
    const assigned = new Uint8Array(pairs);
    for (let p = 0; p < pairs; p++) assigned[p] = this.pairCapacity - g.cap[this.pairArc[p]!]!;
    let minRc = Infinity;
    for (let u = 0; u < N.count; u++) {
      for (let e = g.head[u]!; e !== -1; e = g.next[e]!) {
        if (g.cap[e]! > 0) minRc = Math.min(minRc, g.cost[e]! + h[u]! - h[g.to[e]!]!);
      }
    }
    return {
      assigned,
      shortfall: Int32Array.from(this.remaining),
      potential: Float64Array.from(h),
      usesHub: Uint8Array.from(this.hasStrong),
      minResidualReducedCost: minRc,
      stats: { augmentations: this.augmentations, settled: this.settledTotal },
    };
  }
}
