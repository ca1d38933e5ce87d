import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocateAwards,
  AmendmentError,
  applyAmendment,
  compareCandidates,
  DEFAULT_TIE_BREAK,
  type AwardPlanInput,
  type Candidate,
} from '../../shared/awards/allocation.ts';

const c = (
  entryId: string,
  trackId: string,
  score: number,
  criteria: Record<string, number> = {},
  submittedAt = '2026-06-01T00:00:00.000Z',
): Candidate => ({ entryId, trackId, score, criteria, submittedAt });

describe('award allocation (worked example)', () => {
  // ic: A 92, B 88, C 88 (C submitted earlier), D 70; ai: E 90, F 60.
  const candidates = [
    c('A', 'ic', 92, { innovation: 8 }),
    c('B', 'ic', 88, { innovation: 9.5 }, '2026-06-02T00:00:00.000Z'),
    c('C', 'ic', 88, { innovation: 7 }, '2026-06-01T00:00:00.000Z'),
    c('D', 'ic', 70, { innovation: 9.5 }),
    c('E', 'ai', 90, { innovation: 6 }),
    c('F', 'ai', 60, { innovation: 5 }),
  ];
  const plan: AwardPlanInput = {
    tiers: [
      { tierId: 'grand', count: 1, scope: 'OVERALL' },
      { tierId: 'first', count: 1, scope: 'PER_TRACK' },
      { tierId: 'second', count: 3, scope: 'OVERALL' },
    ],
    specialAwards: [
      {
        awardId: 'original',
        rule: { kind: 'BEST_ON_CRITERION', criterionId: 'innovation' },
        mayCombineWithTier: false,
      },
      { awardId: 'field-gold', rule: { kind: 'BEST_PER_TRACK' }, mayCombineWithTier: true },
    ],
    tieBreak: DEFAULT_TIE_BREAK,
  };

  it('fills tiers in order, each entry once, ties by earlier submission; specials by their rule', () => {
    const p = allocateAwards(candidates, plan);
    expect(p.ranking.map((r) => r.entryId)).toEqual(['A', 'E', 'C', 'B', 'D', 'F']); // C before B: same 88, submitted earlier
    const held = (id: string) => p.awards.filter((a) => a.awardId === id).map((a) => a.entryId);
    expect(held('grand')).toEqual(['A']);
    expect(held('first')).toEqual(['E', 'C']); // per track (ai, ic), A already holds a tier
    expect(held('second')).toEqual(['B', 'D', 'F']);
    // 原始创新奖: B and D tie at 9.5 on innovation, but may not combine with a tier — everyone has one: vacant.
    expect(held('original')).toEqual([]);
    expect(p.vacancies).toEqual([{ awardId: 'original', missing: 1 }]);
    expect(held('field-gold')).toEqual(['E', 'A']); // tracks in id order: ai, ic
  });

  it('a criterion tie-break rule comes before submission time when configured', () => {
    const p = allocateAwards(candidates, {
      ...plan,
      tieBreak: [
        { kind: 'FINAL_SCORE' },
        { kind: 'CRITERION', criterionId: 'innovation' },
        { kind: 'EARLIER_SUBMISSION' },
      ],
    });
    expect(p.ranking.map((r) => r.entryId)).toEqual(['A', 'E', 'B', 'C', 'D', 'F']);
  });

  it('gives a non-combinable special award to the best entry without a tier, ties by the ranking', () => {
    const p = allocateAwards(candidates, { ...plan, tiers: [{ tierId: 'grand', count: 1, scope: 'OVERALL' }] });
    expect(p.awards.find((a) => a.awardId === 'original')).toMatchObject({
      entryId: 'B',
      reason: 'highest mean on innovation: 9.5',
    }); // B ranks before D
  });

  it('amends with a reason: move, add, remove — never two tiers, never a forbidden combination', () => {
    const p = allocateAwards(candidates, plan);
    const moved = applyAmendment(p, plan, {
      op: 'MOVE',
      entryId: 'F',
      fromAwardId: 'second',
      toAwardId: 'first',
      reason: '评审会议决定',
    });
    expect(moved.awards.filter((a) => a.entryId === 'F')).toEqual([
      { entryId: 'F', trackId: 'ai', kind: 'TIER', awardId: 'first', reason: 'amended: 评审会议决定' },
    ]);
    expect(() => applyAmendment(p, plan, { op: 'ADD', entryId: 'F', awardId: 'grand', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'ALREADY_HOLDS_TIER' }),
    );
    expect(() => applyAmendment(p, plan, { op: 'ADD', entryId: 'B', awardId: 'original', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'CANNOT_COMBINE' }),
    );
    expect(() => applyAmendment(p, plan, { op: 'REMOVE', entryId: 'B', awardId: 'grand', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'NOT_HELD' }),
    );
    expect(() => applyAmendment(p, plan, { op: 'ADD', entryId: 'Z', awardId: 'grand', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_ENTRY' }),
    );
    expect(() => applyAmendment(p, plan, { op: 'ADD', entryId: 'B', awardId: 'nope', reason: 'x' })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_AWARD' }),
    );
    expect(() => applyAmendment(p, plan, { op: 'REMOVE', entryId: 'B', awardId: 'second', reason: '  ' })).toThrow(
      AmendmentError,
    );
    const removed = applyAmendment(p, plan, { op: 'REMOVE', entryId: 'B', awardId: 'second', reason: '材料不实' });
    const added = applyAmendment(removed, plan, {
      op: 'ADD',
      entryId: 'B',
      awardId: 'original',
      reason: '原始创新突出',
    });
    expect(added.awards.filter((a) => a.entryId === 'B').map((a) => a.awardId)).toEqual(['original']);
  });
});

describe('award allocation (properties)', () => {
  const arbCandidates = fc
    .uniqueArray(
      fc.record({
        entryId: fc.string({ minLength: 1, maxLength: 4 }),
        trackId: fc.constantFrom('ic', 'ai', 'bio'),
        score: fc.integer({ min: 60, max: 64 }), // few values: many ties
        innovation: fc.integer({ min: 0, max: 3 }),
        submittedAt: fc.constantFrom('2026-06-01T00:00:00.000Z', '2026-06-02T00:00:00.000Z'),
      }),
      { selector: (x) => x.entryId, minLength: 1, maxLength: 30 },
    )
    .map((xs) => xs.map((x) => c(x.entryId, x.trackId, x.score, { innovation: x.innovation }, x.submittedAt)));
  const arbPlan: fc.Arbitrary<AwardPlanInput> = fc.record({
    tiers: fc
      .array(
        fc.record({
          count: fc.integer({ min: 1, max: 5 }),
          scope: fc.constantFrom('OVERALL' as const, 'PER_TRACK' as const),
        }),
        { maxLength: 4 },
      )
      .map((ts) => ts.map((t, i) => ({ tierId: `t${i}`, ...t }))),
    specialAwards: fc
      .array(fc.record({ perTrack: fc.boolean(), mayCombineWithTier: fc.boolean() }), { maxLength: 3 })
      .map((ss) =>
        ss.map((s, i) => ({
          awardId: `s${i}`,
          rule: s.perTrack
            ? { kind: 'BEST_PER_TRACK' as const }
            : { kind: 'BEST_ON_CRITERION' as const, criterionId: 'innovation' },
          mayCombineWithTier: s.mayCombineWithTier,
        })),
      ),
    tieBreak: fc.constantFrom(DEFAULT_TIE_BREAK, [
      { kind: 'FINAL_SCORE' as const },
      { kind: 'CRITERION' as const, criterionId: 'innovation' },
      { kind: 'EARLIER_SUBMISSION' as const },
    ]),
  });

  it('no entry holds two tiers; every tier fills exactly min(count, candidates left) per scope; the rest is reported vacant', () => {
    fc.assert(
      fc.property(arbCandidates, arbPlan, (cands, plan) => {
        const p = allocateAwards(cands, plan);
        const tiers = p.awards.filter((a) => a.kind === 'TIER');
        expect(new Set(tiers.map((a) => a.entryId)).size).toBe(tiers.length);
        const tierIds = plan.tiers.map((t) => t.tierId);
        const tracks = [...new Set(cands.map((x) => x.trackId))];
        for (const t of plan.tiers) {
          for (const trackId of t.scope === 'OVERALL' ? [undefined] : tracks) {
            const inScope = (a: { trackId: string }) => trackId === undefined || a.trackId === trackId;
            const got = tiers.filter((a) => a.awardId === t.tierId && inScope(a)).length;
            const missing = p.vacancies.find((v) => v.awardId === t.tierId && v.trackId === trackId)?.missing ?? 0;
            expect(got).toBeLessThanOrEqual(t.count);
            expect(got + missing).toBe(t.count);
            // Vacant only when nobody in scope was left without a tier.
            const earlier = new Set(tierIds.slice(0, tierIds.indexOf(t.tierId) + 1));
            if (missing > 0)
              expect(
                cands
                  .filter(inScope)
                  .every((x) => earlier.has(tiers.find((a) => a.entryId === x.entryId)?.awardId ?? '')),
              ).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('resolves ties by the documented order: a tier’s holders rank ahead of everyone in scope with a later tier or none', () => {
    fc.assert(
      fc.property(arbCandidates, arbPlan, (cands, plan) => {
        const p = allocateAwards(cands, plan);
        const compare = compareCandidates(plan.tieBreak);
        const byId = new Map(cands.map((x) => [x.entryId, x]));
        const tierIndex = (id: string) => {
          const a = p.awards.find((x) => x.entryId === id && x.kind === 'TIER');
          return a ? plan.tiers.findIndex((t) => t.tierId === a.awardId) : Infinity;
        };
        // The ranking is the comparator's order.
        for (let i = 1; i < p.ranking.length; i++)
          expect(compare(byId.get(p.ranking[i - 1]!.entryId)!, byId.get(p.ranking[i]!.entryId)!)).toBeLessThan(0);
        plan.tiers.forEach((t, k) => {
          for (const holder of p.awards.filter((a) => a.awardId === t.tierId)) {
            const others = cands.filter(
              (x) => tierIndex(x.entryId) > k && (t.scope === 'OVERALL' || x.trackId === holder.trackId),
            );
            for (const o of others) expect(compare(byId.get(holder.entryId)!, o)).toBeLessThan(0);
          }
        });
        // A special award that may not combine with a tier never lands on a tier holder.
        for (const s of plan.specialAwards.filter((x) => !x.mayCombineWithTier)) {
          for (const a of p.awards.filter((x) => x.awardId === s.awardId)) expect(tierIndex(a.entryId)).toBe(Infinity);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the input order does not matter', () => {
    fc.assert(
      fc.property(arbCandidates, arbPlan, fc.integer(), (cands, plan, seed) => {
        const shuffled = [...cands].sort(
          (a, b) => ((a.entryId.charCodeAt(0) * 31 + seed) % 7) - ((b.entryId.charCodeAt(0) * 31 + seed) % 7),
        );
        expect(allocateAwards(shuffled, plan)).toEqual(allocateAwards(cands, plan));
      }),
      { numRuns: 200 },
    );
  });
});
