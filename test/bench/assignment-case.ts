/**
 * One assignment benchmark case in its own process (so peak RSS is its own):
 *   tsx test/bench/assignment-case.ts <entries> <reviewers> [--lp]
 * Prints one JSON line.
 */
import { solveAssignment } from '../../shared/assignment/solve.ts';
import highsModule from 'highs';
import { generateInstance, greedy } from './assignment-instance.ts';

const [n, m] = process.argv.slice(2, 4).map(Number) as [number, number];
const withLp = process.argv.includes('--lp');
const p = generateInstance({ entries: n, reviewers: m, seed: 2026 });

const t0 = performance.now();
const s = solveAssignment(p);
const solveMs = performance.now() - t0;
const g0 = performance.now();
const base = greedy(p);
const greedyMs = performance.now() - g0;

const perEntry = s.reviewersOf.map((js, i) => (js.length ? js.reduce((a, j) => a + p.affinity[i * m + j]!, 0) / js.length : 1));
const loads = new Map<number, number>();
for (const l of s.load) loads.set(l, (loads.get(l) ?? 0) + 1);

let lp: Record<string, unknown> | undefined;
if (withLp) {
  // Independent check: the LP relaxation (integral for this bipartite structure) solved by HiGHS,
  // against the solver run with the same objective (affinity only, no fairness guard).
  const plain = solveAssignment({ ...p, fairness: false });
  // highs is CommonJS; under NodeNext its default import is the module object.
  const loadHighs = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as unknown as typeof import('highs').default;
  const highs = await loadHighs();
  const cols: number[] = [];
  for (let x = 0; x < n * m; x++) if (!p.conflict[x]) cols.push(x);
  const starts = new Int32Array(cols.length + 1);
  const indices = new Int32Array(cols.length * 2);
  const values = new Float64Array(cols.length * 2).fill(1);
  const cost = new Float64Array(cols.length);
  cols.forEach((x, c) => {
    const i = Math.floor(x / m);
    starts[c] = 2 * c;
    indices[2 * c] = i; // entry row
    indices[2 * c + 1] = n + (x - i * m); // reviewer row
    cost[c] = -Math.round(p.affinity[x]! * 1e6);
  });
  starts[cols.length] = 2 * cols.length;
  const l0 = performance.now();
  const model = highs.createModel({
    numCols: cols.length,
    numRows: n + m,
    colCost: cost,
    colLower: new Float64Array(cols.length),
    colUpper: new Float64Array(cols.length).fill(1),
    rowLower: new Float64Array(n + m).fill(-Infinity),
    rowUpper: Float64Array.from([...Array.from(p.demand as ArrayLike<number>), ...Array.from(p.capacity as ArrayLike<number>)]),
    matrix: { format: 'csc', numRows: n + m, numCols: cols.length, starts, indices, values },
  });
  try {
    model.options.set({ output_flag: false });
    model.run();
    const lpObjective = -model.getObjectiveValue();
    lp = { lpMs: Math.round(performance.now() - l0), lpWeight: lpObjective, solverWeight: plain.totalWeight, agree: Math.abs(lpObjective - plain.totalWeight) < 1e-3 * n };
  } finally {
    model.dispose();
  }
}

console.log(
  JSON.stringify({
    entries: n,
    reviewers: m,
    solveMs: Math.round(solveMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    totalAffinity: +s.totalAffinity.toFixed(3),
    minEntryAffinity: +Math.min(...perEntry).toFixed(3),
    weakOnly: s.weakOnlyEntries.length,
    missingReviews: s.shortfalls.reduce((a, x) => a + x.missing, 0),
    conflictsAvoided: p.stats.sameInstitution + p.stats.declared,
    loadHistogram: Object.fromEntries([...loads].sort((a, b) => a[0] - b[0])),
    certificate: s.certificate,
    greedy: { ...base, totalAffinity: +base.totalAffinity.toFixed(3), ms: Math.round(greedyMs) },
    ...(lp ? { lp } : {}),
  }),
);
