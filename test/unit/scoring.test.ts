import { describe, expect, it } from 'vitest';
import {
  advance,
  aggregateRound,
  calibrate,
  cutoffOf,
  needsExtraReview,
  reviewTotal,
  round4,
  trimmedMean,
  type Criterion,
  type Review,
} from '../../shared/review/scoring.ts';

const criteria: Criterion[] = [
  { criterionId: 'innovation', weight: 40, minScore: 0, maxScore: 100 },
  { criterionId: 'feasibility', weight: 30, minScore: 0, maxScore: 100 },
  { criterionId: 'market', weight: 20, minScore: 0, maxScore: 100 },
  { criterionId: 'team', weight: 10, minScore: 0, maxScore: 10 },
];
const s = (innovation: number, feasibility: number, market: number, team: number) => ({
  innovation,
  feasibility,
  market,
  team,
});

describe('rubric totals (worked by hand)', () => {
  it('weights each criterion after scaling it to 0–100', () => {
    // 0.4·90 + 0.3·80 + 0.2·70 + 0.1·(6/10·100) = 36 + 24 + 14 + 6 = 80
    expect(reviewTotal(criteria, s(90, 80, 70, 6))).toBe(80);
    // 0.4·33 + 0.3·67 + 0.2·1 + 0.1·70 = 13.2 + 20.1 + 0.2 + 7 = 40.5
    expect(reviewTotal(criteria, s(33, 67, 1, 7))).toBe(40.5);
  });

  it('refuses a missing or out-of-range score', () => {
    expect(() => reviewTotal(criteria, { innovation: 90, feasibility: 80, market: 70 })).toThrow(RangeError);
    expect(() => reviewTotal(criteria, s(90, 80, 70, 11))).toThrow(RangeError);
  });

  it('rounds half away from zero to 4 decimals', () => {
    expect(round4(1.23445)).toBe(1.2345);
    expect(round4(2 / 3)).toBe(0.6667);
  });
});

describe('aggregation', () => {
  it('去掉一个最高分和一个最低分: trims one highest and one lowest only from the configured count up', () => {
    expect(trimmedMean([60, 70, 80, 90, 100], 5)).toBe(80);
    expect(trimmedMean([60, 70, 90, 100], 5)).toBe(80); // 4 < 5: plain mean
    expect(trimmedMean([50, 100, 100], 3)).toBe(100);
  });

  it('computes mean, median and trimmed mean per entry, and carries an earlier round with its weight', () => {
    const reviews: Review[] = [10, 20, 30, 40, 100].map((v, k) => ({
      entryId: 'E',
      reviewerId: `R${k}`,
      scores: s(v, v, v, v / 10),
    }));
    const entries = [{ entryId: 'E', trackId: 'ic', submittedAt: '2026-01-01T00:00:00Z', previousAggregate: 80 }];
    expect(aggregateRound(criteria, entries, reviews, { kind: 'mean' })[0]!.aggregate).toBe(40);
    expect(aggregateRound(criteria, entries, reviews, { kind: 'median' })[0]!.aggregate).toBe(30);
    expect(aggregateRound(criteria, entries, reviews, { kind: 'trimmed-mean', minReviews: 5 })[0]!.aggregate).toBe(30);
    // 0.75·40 + 0.25·80 = 50
    expect(aggregateRound(criteria, entries, reviews, { kind: 'mean' }, 0.25)[0]!.aggregate).toBe(50);
    expect(aggregateRound(criteria, entries, reviews, { kind: 'mean' })[0]!.spread).toBe(90);
  });

  it('calibration removes reviewer bias: a harsh reviewer’s lone entry is not punished', () => {
    // Harsh H scores 10 below lenient L on the three entries both reviewed.
    const totals = [
      ...['S1', 'S2', 'S3'].flatMap((e, k) => [
        { entryId: e, reviewerId: 'H', total: 60 + k * 5 },
        { entryId: e, reviewerId: 'L', total: 70 + k * 5 },
      ]),
      { entryId: 'P', reviewerId: 'H', total: 64 },
      { entryId: 'Q', reviewerId: 'L', total: 70 },
    ];
    const { quality, offset } = calibrate(totals, 0.001);
    expect(offset.get('L')! - offset.get('H')!).toBeCloseTo(10, 2);
    // Raw: Q (70) ahead of P (64). Calibrated: P ≈ 64 + 5 = 69 vs Q ≈ 70 − 5 = 65.
    expect(quality.get('P')!).toBeGreaterThan(quality.get('Q')!);
    expect(quality.get('P')!).toBeCloseTo(69, 1);
    expect(quality.get('Q')!).toBeCloseTo(65, 1);
  });
});

describe('advancement', () => {
  const score = (
    entryId: string,
    trackId: string,
    aggregate: number,
    tieBreak = 50,
    submittedAt = '2026-01-01T00:00:00Z',
    totals = [aggregate],
  ) => ({
    entryId,
    trackId,
    aggregate,
    tieBreak,
    submittedAt,
    totals,
    spread: Math.max(...totals) - Math.min(...totals),
  });

  it('applies top-K per track, a minimum score and an overall quota, explaining every outcome', () => {
    const scores = [
      score('a1', 'ai', 90),
      score('a2', 'ai', 85),
      score('a3', 'ai', 84),
      score('i1', 'ic', 88),
      score('i2', 'ic', 60),
    ];
    const d = advance(scores, { topKPerTrack: 2, minScore: 70, overallQuota: 2 });
    expect(d.map((x) => [x.entryId, x.advanced, x.decidedBy])).toEqual([
      ['a1', true, 'all rules passed'],
      ['i1', true, 'all rules passed'],
      ['a2', false, 'overall quota 2 filled'],
      ['a3', false, 'track rank 3 > top 2'],
      ['i2', false, 'aggregate 60 < minimum 70'],
    ]);
    expect(d.find((x) => x.entryId === 'a3')).toMatchObject({ trackRank: 3, overallRank: 4 });
  });

  it('breaks ties by the top criterion, then the earlier submission, then the id', () => {
    const d = advance(
      [
        score('late', 'ai', 80, 70, '2026-01-02T00:00:00Z'),
        score('early', 'ai', 80, 70, '2026-01-01T00:00:00Z'),
        score('strong', 'ai', 80, 90, '2026-01-03T00:00:00Z'),
        score('b', 'ai', 80, 70, '2026-01-01T00:00:00Z'),
      ],
      { topKPerTrack: 1 },
    );
    // strong: best top criterion; b and early: same day, so by id; late: last.
    expect(d.map((x) => x.entryId)).toEqual(['strong', 'b', 'early', 'late']);
    expect(d[0]!.advanced).toBe(true);
  });

  it('flags entries whose wide spread straddles the cutoff for one more reviewer', () => {
    const scores = [
      score('wide', 'ai', 72, 50, '', [50, 95]),
      score('narrow', 'ai', 72, 50, '', [70, 74]),
      score('wide-above', 'ai', 90, 50, '', [80, 100]),
    ];
    const decisions = advance(scores, { overallQuota: 2 });
    const cutoff = cutoffOf(decisions);
    expect(cutoff).toBe(72);
    expect(needsExtraReview(scores, cutoff, 20)).toEqual(['wide']);
  });
});
