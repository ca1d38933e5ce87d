import { rng, zipf } from '../../shared/assignment/rng.ts';
import type { AssignmentProblem } from '../../shared/assignment/solve.ts';

/**
 * The benchmark generator of issue #3, seeded: 30 fields × 10 keywords; each
 * entry has 3 keywords of its field; each reviewer 3–8 keywords, 70 % from its
 * own field; field popularity Zipf 0.8 (entries) and 1.1 (reviewers); 200
 * institutions, Zipf 1 (same institution = conflict) plus 0.2 % declared
 * conflicts; affinity = 0.5·[same field] + 0.4·keyword Jaccard + 0.1·U(0,1).
 */
export const FIELDS = 30;
export const KEYWORDS_PER_FIELD = 10;

export const generateInstance = (o: {
  entries: number;
  reviewers: number;
  reviewsPerEntry?: number;
  cap?: number;
  seed?: number;
}): AssignmentProblem & { stats: { sameInstitution: number; declared: number } } => {
  const n = o.entries;
  const m = o.reviewers;
  const random = rng(o.seed ?? 1);
  const entryField = zipf(FIELDS, 0.8, random);
  const reviewerField = zipf(FIELDS, 1.1, random);
  const institution = zipf(200, 1, random);
  const pick = (k: number, from: number[]) => {
    const pool = [...from];
    const out: number[] = [];
    while (out.length < k && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    return out;
  };
  const keywordsOf = (f: number) => Array.from({ length: KEYWORDS_PER_FIELD }, (_, k) => f * KEYWORDS_PER_FIELD + k);

  const entries = Array.from({ length: n }, () => {
    const field = entryField();
    return { field, keywords: new Set(pick(3, keywordsOf(field))), institution: institution() };
  });
  const reviewers = Array.from({ length: m }, () => {
    const field = reviewerField();
    const count = 3 + Math.floor(random() * 6);
    const keywords = new Set<number>();
    while (keywords.size < count) {
      const f = random() < 0.7 ? field : Math.floor(random() * FIELDS);
      keywords.add(f * KEYWORDS_PER_FIELD + Math.floor(random() * KEYWORDS_PER_FIELD));
    }
    return { field, keywords, institution: institution() };
  });

  const affinity = new Float32Array(n * m);
  const conflict = new Uint8Array(n * m);
  let sameInstitution = 0;
  let declared = 0;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    for (let j = 0; j < m; j++) {
      const r = reviewers[j]!;
      let inter = 0;
      for (const k of e.keywords) if (r.keywords.has(k)) inter++;
      const jaccard = inter / (e.keywords.size + r.keywords.size - inter);
      affinity[i * m + j] = 0.5 * (e.field === r.field ? 1 : 0) + 0.4 * jaccard + 0.1 * random();
      if (e.institution === r.institution) {
        conflict[i * m + j] = 1;
        sameInstitution++;
      } else if (random() < 0.002) {
        conflict[i * m + j] = 1;
        declared++;
      }
    }
  }
  return {
    entries: n,
    reviewers: m,
    demand: new Int32Array(n).fill(o.reviewsPerEntry ?? 5),
    capacity: new Int32Array(m).fill(o.cap ?? 30),
    affinity,
    conflict,
    weakThreshold: 0.5,
    stats: { sameInstitution, declared },
  };
};

/** Baseline: take pairs in falling affinity while both sides have room. */
export const greedy = (p: AssignmentProblem) => {
  const { entries: n, reviewers: m } = p;
  const order = Array.from({ length: n * m }, (_, x) => x).filter((x) => !p.conflict[x]);
  order.sort((a, b) => p.affinity[b]! - p.affinity[a]! || a - b);
  const need = Int32Array.from(p.demand as ArrayLike<number>);
  const room = Int32Array.from(p.capacity as ArrayLike<number>);
  const strongOf = new Uint8Array(n);
  const count = new Int32Array(n);
  let total = 0;
  for (const x of order) {
    const i = Math.floor(x / m);
    const j = x - i * m;
    if (need[i]! <= 0 || room[j]! <= 0) continue;
    need[i]!--;
    room[j]!--;
    count[i]!++;
    total += p.affinity[x]!;
    if (p.affinity[x]! >= p.weakThreshold) strongOf[i] = 1;
  }
  let weakOnly = 0;
  let short = 0;
  for (let i = 0; i < n; i++) {
    if (count[i]! > 0 && !strongOf[i]) weakOnly++;
    short += need[i]!;
  }
  return { totalAffinity: total, weakOnly, missingReviews: short };
};
