import { describe, expect, it } from 'vitest';
import { probabilityFraction, solveRandomized } from '../../shared/assignment/randomized.ts';
import { solveAssignment } from '../../shared/assignment/solve.ts';
import { generateInstance } from '../bench/assignment-instance.ts';

describe('randomized assignment (专家随机抽取)', () => {
  const p = generateInstance({ entries: 60, reviewers: 40, seed: 5, reviewsPerEntry: 3, cap: 10 });
  const q = 0.5;

  it('approximates the probability cap from below with a small denominator', () => {
    expect(probabilityFraction(0.5)).toEqual([1, 2]);
    expect(probabilityFraction(0.3)).toEqual([3, 10]);
    const [a, b] = probabilityFraction(0.337);
    expect(a / b).toBeLessThanOrEqual(0.337);
  });

  it('every draw is a valid assignment: demands met, caps kept, no conflict, no pair twice', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const s = solveRandomized(p, q, seed);
      expect(s.shortfalls).toEqual([]);
      for (let i = 0; i < p.entries; i++) {
        expect(s.reviewersOf[i]).toHaveLength(3);
        expect(new Set(s.reviewersOf[i]).size).toBe(3);
        for (const j of s.reviewersOf[i]!) expect(p.conflict[i * p.reviewers + j]).toBe(0);
      }
      for (let j = 0; j < p.reviewers; j++) expect(s.load[j]).toBeLessThanOrEqual(10);
    }
  });

  it('keeps every pair’s probability within the cap, and realizes the planned marginals', () => {
    const draws = 600;
    const counts = new Float64Array(p.entries * p.reviewers);
    let marginals: Float64Array | undefined;
    let total = 0;
    for (let seed = 1; seed <= draws; seed++) {
      const s = solveRandomized(p, q, seed);
      marginals ??= s.marginals;
      s.reviewersOf.forEach((js, i) => {
        for (const j of js) counts[i * p.reviewers + j]!++;
      });
      total += s.totalAffinity;
    }
    let worst = 0;
    for (let x = 0; x < counts.length; x++) {
      expect(marginals![x]).toBeLessThanOrEqual(q);
      worst = Math.max(worst, Math.abs(counts[x]! / draws - marginals![x]!));
    }
    // 600 draws: a frequency's standard error is at most 0.5/√600 ≈ 0.02; 0.1 is five of them.
    expect(worst).toBeLessThan(0.1);
    const expected = solveRandomized(p, q, 1).expectedAffinity;
    expect(Math.abs(total / draws - expected) / expected).toBeLessThan(0.01);
  });

  it('gives up little expected affinity for the randomness, and is reproducible by seed', () => {
    const best = solveAssignment({ ...p, fairness: false }).totalAffinity;
    const r = solveRandomized(p, q, 7);
    expect(r.expectedAffinity).toBeLessThanOrEqual(best + 1e-9);
    expect(r.expectedAffinity).toBeGreaterThan(0.8 * best);
    expect(solveRandomized(p, q, 7).reviewersOf).toEqual(r.reviewersOf);
    expect(solveRandomized(p, 1, 7).expectedAffinity).toBeCloseTo(best, 6); // q = 1: the deterministic optimum
  });
});
