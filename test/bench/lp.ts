import highsModule from 'highs';
import { AFFINITY_SCALE, type AssignmentProblem } from '../../shared/assignment/solve.ts';

/**
 * The assignment as a linear program solved by HiGHS, an independent solver:
 * max Σ (weight + perReviewBonus)·x over conflict-free pairs, rows = entry
 * demands and reviewer capacities, 0 ≤ x ≤ 1. The constraint matrix is totally
 * unimodular, so the LP optimum is the integer optimum.
 */
type Highs = Awaited<ReturnType<typeof import('highs').default>>;
let highs: Promise<Highs> | undefined;
// highs is CommonJS; under NodeNext its default import is the module object.
const load = () =>
  (highs ??= (
    ((highsModule as unknown as { default?: unknown }).default ??
      highsModule) as unknown as typeof import('highs').default
  )());

export const lpOptimum = async (p: AssignmentProblem, perReviewBonus = 0): Promise<number> => {
  const h = await load();
  const { entries: n, reviewers: m } = p;
  const cols: number[] = [];
  for (let x = 0; x < n * m; x++) if (!p.conflict[x]) cols.push(x);
  const indices = new Int32Array(cols.length * 2);
  cols.forEach((x, c) => {
    indices[2 * c] = Math.floor(x / m); // entry row
    indices[2 * c + 1] = n + (x % m); // reviewer row
  });
  const model = h.createModel({
    numCols: cols.length,
    numRows: n + m,
    colCost: Float64Array.from(cols, (x) => -(Math.round(p.affinity[x]! * AFFINITY_SCALE) + perReviewBonus)),
    colLower: new Float64Array(cols.length),
    colUpper: new Float64Array(cols.length).fill(1),
    rowLower: new Float64Array(n + m).fill(-Infinity),
    rowUpper: Float64Array.from([
      ...Array.from(p.demand as ArrayLike<number>),
      ...Array.from(p.capacity as ArrayLike<number>),
    ]),
    matrix: {
      format: 'csc',
      numRows: n + m,
      numCols: cols.length,
      starts: Int32Array.from({ length: cols.length + 1 }, (_, c) => 2 * c),
      indices,
      values: new Float64Array(cols.length * 2).fill(1),
    },
  });
  try {
    model.options.set({ output_flag: false });
    model.run();
    return -model.getObjectiveValue();
  } finally {
    model.dispose();
  }
};
