import { describe, expect, it } from 'vitest';
import { assignmentInstance, buildProblem } from '../../shared/assignment/instance.ts';
import { solvePanels } from '../../shared/assignment/panel.ts';
import { solveTopUp } from '../../shared/assignment/top-up.ts';
import { rng } from '../../shared/assignment/rng.ts';

const expert = (id: string, fields: string[], cap: number, institution = `inst-${id}`) => ({
  id,
  fields,
  keywords: [],
  languages: ['zh'],
  institution,
  cap,
  declaredConflicts: [],
});
const entry = (id: string, field: string, institution = `org-${id}`) => ({
  id,
  field,
  keywords: [],
  languages: ['zh'],
  institution,
  applicants: [],
});

describe('backup and extra reviewers (top-up)', () => {
  const instance = assignmentInstance.parse({
    reviewsPerEntry: 2,
    entries: [entry('A', 'ic'), entry('B', 'ai')],
    reviewers: [
      expert('x1', ['ic'], 5),
      expert('x2', ['ic'], 5),
      expert('x3', ['ic'], 1),
      expert('x4', ['ai'], 5),
      expert('x5', ['ic'], 5, 'org-A'),
    ],
  });

  it('replaces a declined review with the best free expert: not one who holds, declined or is conflicted with the entry, not one at capacity', () => {
    const held = [
      { entryId: 'A', expertEmail: 'x1', active: false }, // declined
      { entryId: 'A', expertEmail: 'x2', active: true },
      { entryId: 'B', expertEmail: 'x3', active: true }, // x3 (cap 1) is full
      { entryId: 'B', expertEmail: 'x4', active: true },
    ];
    const r = solveTopUp(instance, held, [{ entryId: 'A', need: 'replaces x1' }]);
    // x1 declined, x2 holds it, x3 is full, x5 shares A's institution: only x4 (weak, other field) is left.
    expect(r).toEqual({ filled: [{ entryId: 'A', expertEmail: 'x4', need: 'replaces x1' }], unfilled: [] });
  });

  it('prefers strong affinity and reports the slots it cannot fill with the reason', () => {
    const r = solveTopUp(
      instance,
      [{ entryId: 'A', expertEmail: 'x1', active: true }],
      [
        { entryId: 'A', need: 1 },
        { entryId: 'A', need: 2 },
        { entryId: 'A', need: 3 },
        { entryId: 'A', need: 4 },
        { entryId: 'gone', need: 5 },
      ],
    );
    expect(r.filled.map((f) => f.expertEmail).sort()).toEqual(['x2', 'x3', 'x4']);
    expect(
      r.filled
        .slice(0, 2)
        .map((f) => f.expertEmail)
        .sort(),
    ).toEqual(['x2', 'x3']); // the ic experts first
    expect(r.unfilled).toEqual([
      { entryId: 'A', need: 4, reason: 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' },
      { entryId: 'gone', need: 5, reason: 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' },
    ]);
  });
});

describe('panel mode', () => {
  it('forms one panel per track, each expert on one panel, the conflicted member recused from that entry only', () => {
    const instance = assignmentInstance.parse({
      reviewsPerEntry: 1,
      entries: [entry('A1', 'ic'), entry('A2', 'ic', 'inst-p1'), entry('B1', 'ai')],
      reviewers: [
        expert('p1', ['ic'], 5),
        expert('p2', ['ic'], 5),
        expert('p3', ['ai'], 5),
        expert('p4', ['ai'], 5),
        expert('p5', ['ic'], 1),
      ],
    });
    const trackOf = new Map([
      ['A1', 'ic'],
      ['A2', 'ic'],
      ['B1', 'ai'],
    ]);
    const r = solvePanels(instance, trackOf, 2);
    expect(r.panels).toEqual([
      { trackId: 'ai', members: expect.arrayContaining(['p3', 'p4']), missing: 0 },
      { trackId: 'ic', members: expect.arrayContaining(['p1', 'p2']), missing: 0 },
    ]);
    // p5 (cap 1) cannot take the ic track's two entries; p1 is recused from A2 (same institution).
    expect(r.recusals).toEqual([{ entryId: 'A2', expertEmail: 'p1' }]);
    expect(r.pairs).toHaveLength(2 * 2 - 1 + 2);
    expect(r.pairs).not.toContainEqual({ entryId: 'A2', expertEmail: 'p1' });
  });

  it('chooses the panels with the highest total mean affinity (exhaustive check on seeded instances)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed);
      const fields = ['ic', 'ai', 'bio'];
      const entries = Array.from({ length: 6 }, (_, i) =>
        entry(`e${i}`, fields[i % 3]!, `org${Math.floor(random() * 4)}`),
      );
      const reviewers = Array.from({ length: 6 }, (_, j) => ({
        ...expert(
          `r${j}`,
          [fields[Math.floor(random() * 3)]!],
          1 + Math.floor(random() * 3),
          `org${Math.floor(random() * 6)}`,
        ),
        keywords: random() < 0.5 ? ['k'] : [],
      }));
      for (const e of entries) e.applicants = [];
      const instance = assignmentInstance.parse({
        reviewsPerEntry: 1,
        entries: entries.map((e, i) => ({ ...e, keywords: i % 2 ? ['k'] : [] })),
        reviewers,
      });
      const trackOf = new Map(instance.entries.map((e) => [e.id, e.field!]));
      const size = 2;
      const r = solvePanels(instance, trackOf, size);
      // Reference: every way to give each track up to `size` distinct eligible experts.
      const { problem } = buildProblem(instance);
      const m = reviewers.length;
      const tracks = [...new Set(trackOf.values())].sort();
      const value = (t: string, j: number) => {
        const rows = instance.entries.flatMap((e, i) =>
          trackOf.get(e.id) === t && !problem.conflict[i * m + j] ? [i] : [],
        );
        if (!rows.length || reviewers[j]!.cap < rows.length) return undefined;
        return rows.reduce((s, i) => s + Math.round(problem.affinity[i * m + j]! * 1e6) / 1e6, 0) / rows.length;
      };
      let best = { count: -1, total: -1 };
      const owner = new Array<number>(m).fill(-1);
      const search = (j: number) => {
        if (j === m) {
          const counts = tracks.map((_, t) => owner.filter((o) => o === t).length);
          if (counts.some((c) => c > size)) return;
          const count = counts.reduce((a, b) => a + b, 0);
          const total = owner.reduce((s, t, jj) => s + (t >= 0 ? value(tracks[t]!, jj)! : 0), 0);
          if (count > best.count || (count === best.count && total > best.total + 1e-9)) best = { count, total };
          return;
        }
        for (let t = -1; t < tracks.length; t++) {
          if (t >= 0 && value(tracks[t]!, j) === undefined) continue;
          owner[j] = t;
          search(j + 1);
        }
        owner[j] = -1;
      };
      search(0);
      const members = r.panels.flatMap((p) =>
        p.members.map((id) => ({ t: p.trackId, j: reviewers.findIndex((x) => x.id === id) })),
      );
      expect(new Set(members.map((x) => x.j)).size).toBe(members.length);
      expect(members.length).toBe(best.count);
      const total = members.reduce((s, x) => s + value(x.t, x.j)!, 0);
      expect(total).toBeCloseTo(best.total, 5);
    }
  });
});
