/**
 * One assignment benchmark case in its own process (so peak RSS is its own):
 *   tsx test/bench/assignment-case.ts <entries> <reviewers> [--lp]
 * Prints one JSON line.
 */
import { solveAssignment } from '../../shared/assignment/solve.ts';
import { lpOptimum } from './lp.ts';
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

const perEntry = s.reviewersOf.map((js, i) =>
  js.length ? js.reduce((a, j) => a + p.affinity[i * m + j]!, 0) / js.length : 1,
);
const loads = new Map<number, number>();
for (const l of s.load) loads.set(l, (loads.get(l) ?? 0) + 1);

let lp: Record<string, unknown> | undefined;
if (withLp) {
  // Independent check: the LP relaxation (integral for this bipartite structure) solved by HiGHS,
  // against the solver run with the same objective (affinity only, no fairness guard).
  const plain = solveAssignment({ ...p, fairness: false });
  const l0 = performance.now();
  const lpWeight = await lpOptimum(p);
  lp = {
    lpMs: Math.round(performance.now() - l0),
    lpWeight,
    solverWeight: plain.totalWeight,
    agree: lpWeight === plain.totalWeight,
  };
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
