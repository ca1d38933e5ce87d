import { beforeAll, describe, expect, it } from 'vitest';
import highsModule from 'highs';
import { AFFINITY_SCALE, solveAssignment, type AssignmentProblem } from '../../shared/assignment/solve.ts';
import { generateInstance } from '../bench/assignment-instance.ts';

/**
 * The exact solver against an independent LP solver (HiGHS) on mid-size seeded
 * instances. The bipartite b-matching LP is integral, so the optima must match.
 * For pools too small for every review, a per-review bonus makes the LP serve as
 * many reviews as possible first, as the solver does.
 */
type Highs = Awaited<ReturnType<typeof import('highs').default>>;
let highs: Highs;
beforeAll(async () => {
  const load = ((highsModule as unknown as { default?: unknown }).default ?? highsModule) as unknown as typeof import('highs').default;
  highs = await load();
});

const lpOptimum = (p: AssignmentProblem, perReviewBonus: number) => {
  const { entries: n, reviewers: m } = p;
  const cols: number[] = [];
  for (let x = 0; x < n * m; x++) if (!p.conflict[x]) cols.push(x);
  const starts = Int32Array.from({ length: cols.length + 1 }, (_, c) => 2 * c);
  const indices = new Int32Array(cols.length * 2);
  cols.forEach((x, c) => {
    indices[2 * c] = Math.floor(x / m);
    indices[2 * c + 1] = n + (x % m);
  });
  const model = highs.createModel({
    numCols: cols.length,
    numRows: n + m,
    colCost: Float64Array.from(cols, (x) => -(Math.round(p.affinity[x]! * AFFINITY_SCALE) + perReviewBonus)),
    colLower: new Float64Array(cols.length),
    colUpper: new Float64Array(cols.length).fill(1),
    rowLower: new Float64Array(n + m).fill(-Infinity),
    rowUpper: Float64Array.from([...Array.from(p.demand as ArrayLike<number>), ...Array.from(p.capacity as ArrayLike<number>)]),
    matrix: { format: 'csc', numRows: n + m, numCols: cols.length, starts, indices, values: new Float64Array(cols.length * 2).fill(1) },
  });
  try {
    model.options.set({ output_flag: false });
    model.run();
    return -model.getObjectiveValue();
  } finally {
    model.dispose();
  }
};

describe('exact assignment agrees with HiGHS', () => {
  it.each([
    [150, 40, 1],
    [200, 50, 2],
    [120, 70, 3],
  ])('%i entries × %i reviewers (seed %i)', (n, m, seed) => {
    const p = { ...generateInstance({ entries: n, reviewers: m, seed, cap: 30 }), fairness: false };
    const s = solveAssignment(p);
    expect(s.certificate.optimal).toBe(true);
    expect(s.totalWeight).toBe(lpOptimum(p, 0));
  });

  it('on a pool too small for every review: same number served, same affinity', () => {
    const p = { ...generateInstance({ entries: 120, reviewers: 20, seed: 9, cap: 25 }), fairness: false };
    const s = solveAssignment(p);
    const served = s.reviewersOf.reduce((a, r) => a + r.length, 0);
    expect(s.shortfalls.length).toBeGreaterThan(0);
    const bonus = AFFINITY_SCALE * 1000;
    expect(served * bonus + s.totalWeight).toBe(lpOptimum(p, bonus));
  });
});
