import { describe, expect, it } from 'vitest';
import { AFFINITY_SCALE, solveAssignment } from '../../shared/assignment/solve.ts';
import { lpOptimum } from '../bench/lp.ts';
import { generateInstance } from '../bench/assignment-instance.ts';

/**
 * The exact solver against an independent LP solver (HiGHS) on mid-size seeded
 * instances. The bipartite b-matching LP is integral, so the optima must match.
 * For pools too small for every review, a per-review bonus makes the LP serve as
 * many reviews as possible first, as the solver does.
 */
describe('exact assignment agrees with HiGHS', () => {
  it.each([
    [150, 40, 1],
    [200, 50, 2],
    [120, 70, 3],
  ])('%i entries × %i reviewers (seed %i)', async (n, m, seed) => {
    const p = { ...generateInstance({ entries: n, reviewers: m, seed, cap: 30 }), fairness: false };
    const s = solveAssignment(p);
    expect(s.certificate.optimal).toBe(true);
    expect(s.totalWeight).toBe(await lpOptimum(p));
  });

  it('reaches the same optimum when the certificate has to add many pairs to a tiny candidate set', async () => {
    const p = generateInstance({ entries: 300, reviewers: 80, seed: 4, cap: 25 });
    const narrow = solveAssignment({ ...p, candidatesPerEntry: 2 });
    const wide = solveAssignment({ ...p, candidatesPerEntry: 80 });
    expect(narrow.certificate.rounds).toBeGreaterThan(2);
    expect(narrow.certificate.optimal).toBe(true);
    expect([narrow.totalWeight, narrow.weakOnlyEntries.length]).toEqual([
      wide.totalWeight,
      wide.weakOnlyEntries.length,
    ]);
    expect(solveAssignment({ ...p, fairness: false, candidatesPerEntry: 2 }).totalWeight).toBe(await lpOptimum(p));
  });

  it('on a pool too small for every review: same number served, same affinity', async () => {
    const p = { ...generateInstance({ entries: 120, reviewers: 20, seed: 9, cap: 25 }), fairness: false };
    const s = solveAssignment(p);
    const served = s.reviewersOf.reduce((a, r) => a + r.length, 0);
    expect(s.shortfalls.length).toBeGreaterThan(0);
    const bonus = AFFINITY_SCALE * 1000;
    expect(served * bonus + s.totalWeight).toBe(await lpOptimum(p, bonus));
  });
});
