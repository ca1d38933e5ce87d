import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AFFINITY_SCALE, solveAssignment, type AssignmentProblem } from '../../shared/assignment/solve.ts';
import {
  assertPreviewFitsRequest,
  assertSolvableSize,
  MAX_ASSIGNMENT_PAIRS,
} from '../../shared/assignment/instance.ts';

/** Exhaustive search over every subset of conflict-free pairs: the reference optimum. */
const bruteForce = (p: AssignmentProblem) => {
  const { entries: n, reviewers: m } = p;
  const pairs: number[] = [];
  for (let x = 0; x < n * m; x++) if (!p.conflict[x]) pairs.push(x);
  let best = [-1, -1, -1];
  for (let mask = 0; mask < 1 << pairs.length; mask++) {
    const perEntry = new Array(n).fill(0);
    const perReviewer = new Array(m).fill(0);
    const strongCovered = new Array(n).fill(false);
    let weight = 0;
    let count = 0;
    let ok = true;
    for (let b = 0; b < pairs.length && ok; b++) {
      if (!(mask & (1 << b))) continue;
      const x = pairs[b]!;
      const i = Math.floor(x / m);
      const j = x % m;
      if (++perEntry[i] > p.demand[i]! || ++perReviewer[j] > p.capacity[j]!) ok = false;
      count++;
      weight += Math.round(p.affinity[x]! * AFFINITY_SCALE);
      if (p.affinity[x]! >= p.weakThreshold) strongCovered[i] = true;
    }
    if (!ok) continue;
    const fair = p.fairness === false ? 0 : strongCovered.filter(Boolean).length;
    const t = [count, fair, weight];
    if (t[0]! > best[0]! || (t[0] === best[0] && (t[1]! > best[1]! || (t[1] === best[1] && t[2]! > best[2]!))))
      best = t;
  }
  return best;
};

const solutionTuple = (p: AssignmentProblem) => {
  const s = solveAssignment(p);
  const count = s.reviewersOf.reduce((a, r) => a + r.length, 0);
  const fair =
    p.fairness === false
      ? 0
      : s.reviewersOf.filter((rs, i) => rs.some((j) => p.affinity[i * p.reviewers + j]! >= p.weakThreshold)).length;
  return { tuple: [count, fair, s.totalWeight], s };
};

const tinyInstance = fc
  .record({ n: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 4 }), fairness: fc.boolean() })
  .chain(({ n, m, fairness }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      fairness: fc.constant(fairness),
      demand: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
      capacity: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: m, maxLength: m }),
      affinity: fc.array(
        fc.integer({ min: 0, max: 100 }).map((v) => v / 100),
        { minLength: n * m, maxLength: n * m },
      ),
      conflict: fc.array(
        fc.integer({ min: 0, max: 4 }).map((v) => (v === 0 ? 1 : 0)),
        { minLength: n * m, maxLength: n * m },
      ),
    }),
  )
  .map(
    (x): AssignmentProblem => ({
      entries: x.n,
      reviewers: x.m,
      demand: x.demand,
      capacity: x.capacity,
      affinity: Float64Array.from(x.affinity),
      conflict: Uint8Array.from(x.conflict),
      weakThreshold: 0.5,
      fairness: x.fairness,
      candidatesPerEntry: 1, // deliberately too few: the certificate loop must find the rest
    }),
  );

describe('exact reviewer assignment', () => {
  it('matches exhaustive search on random small instances (size, then fairness, then affinity)', () => {
    fc.assert(
      fc.property(tinyInstance, (p) => {
        const { tuple, s } = solutionTuple(p);
        expect(tuple).toEqual(bruteForce(p));
        expect(s.certificate.optimal).toBe(true);
        // Hard constraints.
        for (let i = 0; i < p.entries; i++) {
          expect(new Set(s.reviewersOf[i]).size).toBe(s.reviewersOf[i]!.length);
          expect(s.reviewersOf[i]!.length).toBeLessThanOrEqual(p.demand[i]!);
          for (const j of s.reviewersOf[i]!) expect(p.conflict[i * p.reviewers + j]).toBe(0);
        }
        for (let j = 0; j < p.reviewers; j++) expect(s.load[j]).toBeLessThanOrEqual(p.capacity[j]!);
      }),
      { numRuns: 400 },
    );
  });

  it('prefers giving every entry a strong reviewer over a higher total affinity', () => {
    // Entry 0: strong only with reviewer 0 (0.6), weak with reviewer 1 (0.45).
    // Entry 1: strong with reviewer 0 (0.99) and reviewer 2 (0.5).
    const p: AssignmentProblem = {
      entries: 2,
      reviewers: 3,
      demand: [1, 1],
      capacity: [1, 1, 1],
      affinity: Float64Array.from([0.6, 0.45, 0, 0.99, 0, 0.5]),
      conflict: new Uint8Array(6),
      weakThreshold: 0.5,
    };
    const unguarded = solveAssignment({ ...p, fairness: false });
    expect(unguarded.reviewersOf).toEqual([[1], [0]]); // 0.45 + 0.99 = 1.44
    expect(unguarded.weakOnlyEntries).toEqual([0]);
    const guarded = solveAssignment(p);
    expect(guarded.reviewersOf).toEqual([[0], [2]]); // 0.6 + 0.5 = 1.1, nobody weak-only
    expect(guarded.weakOnlyEntries).toEqual([]);
    expect(guarded.totalAffinity).toBeCloseTo(1.1, 10);
  });

  it('says exactly which entries fall short and why, and assigns the rest', () => {
    const p: AssignmentProblem = {
      entries: 3,
      reviewers: 3,
      demand: [2, 2, 2],
      capacity: [2, 1, 1],
      // Entry 0 conflicts with reviewers 1 and 2 (回避): one conflict-free reviewer for two reviews.
      affinity: Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5]),
      conflict: Uint8Array.from([0, 1, 1, 0, 0, 0, 0, 0, 0]),
      weakThreshold: 0.5,
    };
    const s = solveAssignment(p);
    // Four reviews fit the pool; entry 2 (lower affinity) is the one left a review short.
    expect(s.shortfalls).toEqual([
      { entry: 0, missing: 1, conflictFreeReviewers: 1, reason: 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' },
      { entry: 2, missing: 1, conflictFreeReviewers: 3, reason: 'CONFLICT_FREE_REVIEWERS_AT_CAPACITY' },
    ]);
    expect(s.reviewersOf.map((r) => r.length)).toEqual([1, 2, 1]);
    expect(s.certificate).toMatchObject({ optimal: true, maxFlowProven: true });
  });

  it('is deterministic for the same input', () => {
    const n = 30;
    const m = 12;
    const affinity = Float64Array.from({ length: n * m }, (_, x) => ((x * 7919) % 1000) / 1000);
    const p: AssignmentProblem = {
      entries: n,
      reviewers: m,
      demand: new Array(n).fill(3),
      capacity: new Array(m).fill(9),
      affinity,
      conflict: new Uint8Array(n * m),
      weakThreshold: 0.5,
    };
    expect(solveAssignment(p)).toEqual(solveAssignment(p));
  });
});

describe('round size limit', () => {
  it('refuses, before building anything, a round with more entry × expert pairs than the solver takes in its memory', () => {
    expect(() => assertSolvableSize(10_000, 2000)).not.toThrow(); // 20,000,000 pairs: the limit itself
    expect(() => assertSolvableSize(10_001, 2000)).toThrow(
      expect.objectContaining({ code: 'ROUND_TOO_LARGE', status: 409 }) as unknown as Error,
    );
    expect(() => assertSolvableSize(MAX_ASSIGNMENT_PAIRS + 1, 1)).toThrow(/split the round/);
  });

  it('previews in a request only rounds that fit one (30 s, 6 MB); larger ones point to the export', () => {
    expect(() => assertPreviewFitsRequest(2000, 1000)).not.toThrow(); // 2,000,000 pairs: the limit itself
    expect(() => assertPreviewFitsRequest(2001, 1000)).toThrow(
      expect.objectContaining({ code: 'PREVIEW_TOO_LARGE_FOR_A_REQUEST', status: 409 }) as unknown as Error,
    );
    expect(() => assertPreviewFitsRequest(10_000, 2000)).toThrow(/ASSIGNMENT_PREVIEW/);
  });
});
