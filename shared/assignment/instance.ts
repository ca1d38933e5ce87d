import { minOf } from '../review/scoring.ts';
import * as z from 'zod';
import { normalizeName } from '../text.ts';
import { conflict, validationError } from '../errors.ts';
import type { AssignmentProblem, AssignmentSolution } from './solve.ts';

/**
 * The documented JSON format of an assignment instance (`npm run assign`), and
 * how affinity and conflicts of interest (回避) are derived from it.
 */
const id = z.string().min(1).max(100);
const words = z.array(z.string().min(1).max(100)).max(200).default([]);

export const assignmentInstance = z.strictObject({
  reviewsPerEntry: z.number().int().min(1).max(15),
  /** Below this affinity a review is weak; the fairness guard minimizes entries with only weak reviewers. */
  weakThreshold: z.number().min(0).max(1).default(0.5),
  mode: z.enum(['optimal', 'randomized']).default('optimal'),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** randomized mode: no expert–entry pair is chosen with probability above this (专家随机抽取). */
  maxPairProbability: z.number().gt(0).max(1).optional(),
  entries: z
    .array(
      z.strictObject({
        id,
        field: z.string().max(100).optional(),
        keywords: words,
        languages: words,
        /** Applicant organization; an expert from it is conflicted. */
        institution: z.string().max(200).optional(),
        /** Sponsor of a challenge track; its experts are conflicted too. */
        sponsor: z.string().max(200).optional(),
        /** People on the application (emails or names); an expert among them is conflicted. */
        applicants: words,
      }),
    )
    .min(1)
    .max(20000),
  reviewers: z
    .array(
      z.strictObject({
        id,
        fields: words,
        keywords: words,
        languages: words,
        institution: z.string().max(200).optional(),
        cap: z.number().int().min(0).max(1000),
        /** Organizations and applicants the expert declared a conflict with. */
        declaredConflicts: words,
        email: z.string().max(254).optional(),
      }),
    )
    .min(1)
    .max(5000),
  /** Names that denote one institution, e.g. ["复旦大学", "Fudan University"]. */
  institutionAliases: z
    .array(z.array(z.string().min(1).max(200)).min(2).max(20))
    .max(1000)
    .default([]),
  /** Explicit conflicts, in addition to the derived ones. */
  conflicts: z
    .array(z.strictObject({ entry: id, reviewer: id, reason: z.string().max(200).optional() }))
    .max(100000)
    .default([]),
  /** Explicit affinities in [0, 1] that replace the derived ones for these pairs. */
  affinity: z
    .array(z.strictObject({ entry: id, reviewer: id, value: z.number().min(0).max(1) }))
    .max(10_000_000)
    .default([]),
});
export type AssignmentInstance = z.infer<typeof assignmentInstance>;

export type ConflictReason = 'SAME_INSTITUTION' | 'SPONSOR' | 'DECLARED' | 'EXPERT_IS_APPLICANT' | 'EXPLICIT';

const jaccard = (a: Set<string>, b: Set<string>) => {
  if (!a.size && !b.size) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
};

/**
 * affinity = 0.5·[entry field among the expert's fields] + 0.4·keyword Jaccard
 *          + 0.1·[a shared language]   (all matching case-insensitive)
 */
export const buildProblem = (inst: AssignmentInstance) => {
  const n = inst.entries.length;
  const m = inst.reviewers.length;
  const dup = (xs: string[], what: string) => {
    const seen = new Set<string>();
    xs.forEach((x, i) => {
      if (seen.has(x))
        throw validationError(`Duplicate ${what} id`, [
          { path: `${what}s.${i}.id`, message: `duplicate id "${x}"`, code: 'duplicate_id' },
        ]);
      seen.add(x);
    });
  };
  dup(
    inst.entries.map((e) => e.id),
    'entry',
  );
  dup(
    inst.reviewers.map((r) => r.id),
    'reviewer',
  );
  const entryIndex = new Map(inst.entries.map((e, i) => [e.id, i]));
  const reviewerIndex = new Map(inst.reviewers.map((r, j) => [r.id, j]));
  const ref = (kind: 'entry' | 'reviewer', value: string, path: string) => {
    const v = (kind === 'entry' ? entryIndex : reviewerIndex).get(value);
    if (v === undefined)
      throw validationError(`Unknown ${kind}`, [{ path, message: `no ${kind} "${value}"`, code: 'unknown_ref' }]);
    return v;
  };

  // Institutions: normalized names, then aliases folded onto one canonical name.
  const canonical = new Map<string, string>();
  for (const group of inst.institutionAliases) {
    const names = group.map(normalizeName);
    for (const name of names) canonical.set(name, names[0]!);
  }
  const org = (s?: string) => {
    if (!s) return undefined;
    const k = normalizeName(s);
    return canonical.get(k) ?? k;
  };
  const lower = (xs: string[]) => new Set(xs.map((x) => x.normalize('NFKC').toLowerCase()));

  const E = inst.entries.map((e) => ({
    field: e.field?.toLowerCase(),
    keywords: lower(e.keywords),
    languages: lower(e.languages),
    institution: org(e.institution),
    sponsor: org(e.sponsor),
    applicants: lower(e.applicants),
  }));
  const R = inst.reviewers.map((r) => ({
    fields: lower(r.fields),
    keywords: lower(r.keywords),
    languages: lower(r.languages),
    institution: org(r.institution),
    declared: new Set(r.declaredConflicts.map((d) => org(d)!)),
    declaredPeople: lower(r.declaredConflicts),
    self: lower([r.id, ...(r.email ? [r.email] : [])]),
  }));

  const affinity = new Float64Array(n * m);
  const conflict = new Uint8Array(n * m);
  const reasons = new Map<number, ConflictReason>();
  for (let i = 0; i < n; i++) {
    const e = E[i]!;
    for (let j = 0; j < m; j++) {
      const r = R[j]!;
      const x = i * m + j;
      let languageMatch = 0;
      for (const l of e.languages) if (r.languages.has(l)) languageMatch = 1;
      affinity[x] =
        0.5 * (e.field && r.fields.has(e.field) ? 1 : 0) + 0.4 * jaccard(e.keywords, r.keywords) + 0.1 * languageMatch;
      let reason: ConflictReason | undefined;
      if (e.institution && e.institution === r.institution) reason = 'SAME_INSTITUTION';
      else if (e.sponsor && (e.sponsor === r.institution || r.declared.has(e.sponsor))) reason = 'SPONSOR';
      else if (
        (e.institution && r.declared.has(e.institution)) ||
        [...e.applicants].some((a) => r.declaredPeople.has(a))
      )
        reason = 'DECLARED';
      else if ([...e.applicants].some((a) => r.self.has(a))) reason = 'EXPERT_IS_APPLICANT';
      if (reason) {
        conflict[x] = 1;
        reasons.set(x, reason);
      }
    }
  }
  inst.conflicts.forEach((c, k) => {
    const x =
      ref('entry', c.entry, `conflicts.${k}.entry`) * m + ref('reviewer', c.reviewer, `conflicts.${k}.reviewer`);
    conflict[x] = 1;
    if (!reasons.has(x)) reasons.set(x, 'EXPLICIT');
  });
  inst.affinity.forEach((a, k) => {
    affinity[ref('entry', a.entry, `affinity.${k}.entry`) * m + ref('reviewer', a.reviewer, `affinity.${k}.reviewer`)] =
      a.value;
  });

  const problem: AssignmentProblem = {
    entries: n,
    reviewers: m,
    demand: new Int32Array(n).fill(inst.reviewsPerEntry),
    capacity: Int32Array.from(inst.reviewers, (r) => r.cap),
    affinity,
    conflict,
    weakThreshold: inst.weakThreshold,
  };
  return { problem, reasons };
};

/** The assignment and its report, by id, as `npm run assign` writes it. */
export const describeSolution = (
  inst: AssignmentInstance,
  problem: AssignmentProblem,
  reasons: Map<number, ConflictReason>,
  s: AssignmentSolution,
  mode: string,
) => {
  const m = problem.reviewers;
  const perEntry = s.reviewersOf.map((js, i) =>
    js.length ? js.reduce((a, j) => a + problem.affinity[i * m + j]!, 0) / js.length : null,
  );
  const served = perEntry.filter((v): v is number => v !== null);
  const histogram: Record<string, number> = {};
  for (const l of s.load) histogram[l] = (histogram[l] ?? 0) + 1;
  const conflictsByReason: Record<string, number> = {};
  for (const r of reasons.values()) conflictsByReason[r] = (conflictsByReason[r] ?? 0) + 1;
  return {
    mode,
    assignments: inst.entries.map((e, i) => ({
      entry: e.id,
      reviewers: s.reviewersOf[i]!.map((j) => ({
        reviewer: inst.reviewers[j]!.id,
        affinity: +problem.affinity[i * m + j]!.toFixed(6),
      })),
    })),
    report: {
      totalAffinity: +s.totalAffinity.toFixed(6),
      minEntryAffinity: served.length ? +minOf(served).toFixed(6) : null,
      entriesWithOnlyWeakReviewers: s.weakOnlyEntries.map((i) => inst.entries[i]!.id),
      loadHistogram: histogram,
      conflictsAvoided: { total: reasons.size, byReason: conflictsByReason },
      shortfalls: s.shortfalls.map((f) => ({
        entry: inst.entries[f.entry]!.id,
        missing: f.missing,
        conflictFreeReviewers: f.conflictFreeReviewers,
        reason: f.reason,
      })),
      certificate: s.certificate,
    },
  };
};

/**
 * The largest round the exact solver takes in one step: entries × experts pairs. Peak memory grows
 * with the pairs (measured by `tsx test/bench/assignment-case.ts`: 6.0 M pairs, 5,000 × 1,200, peak
 * 373–411 MB; 20 M pairs, 10,000 × 2,000, 43.6 s and 1,077 MB with the instance generator); the
 * assignment and follow-up functions have 3,008 MB, so 20 M pairs leaves room for the records and
 * the runtime. A larger round is refused before anything is built.
 */
export const MAX_ASSIGNMENT_PAIRS = 20_000_000;

/**
 * The largest round the assignment preview solves inside an API request: the HTTP API answers within
 * 30 s and Lambda within 6 MB, and the answer lists every entry's reviewers (2,000 entries × 1,000
 * experts solve in about a second; 10,000 × 2,000 take ~45 s and 5 MB of pairs). Larger rounds are
 * previewed asynchronously (`POST …/exports {"kind":"ASSIGNMENT_PREVIEW"}`), with the same result.
 */
export const MAX_REQUEST_PREVIEW_PAIRS = 2_000_000;

export const assertPreviewFitsRequest = (entries: number, experts: number): void => {
  if (entries * experts <= MAX_REQUEST_PREVIEW_PAIRS) return;
  throw conflict(
    'PREVIEW_TOO_LARGE_FOR_A_REQUEST',
    `${entries} entries × ${experts} experts = ${entries * experts} pairs: more than the ${MAX_REQUEST_PREVIEW_PAIRS} ` +
      'a request previews within the API’s 30 seconds; ask for it as an export ' +
      '(POST /admin/competitions/{competitionId}/exports {"kind":"ASSIGNMENT_PREVIEW","roundId":…})',
    { entries, experts, pairs: entries * experts, maxPairs: MAX_REQUEST_PREVIEW_PAIRS },
  );
};

export const assertSolvableSize = (entries: number, experts: number): void => {
  if (entries * experts <= MAX_ASSIGNMENT_PAIRS) return;
  throw conflict(
    'ROUND_TOO_LARGE',
    `${entries} entries × ${experts} experts = ${entries * experts} pairs: more than the ${MAX_ASSIGNMENT_PAIRS} ` +
      'the assignment step solves within its memory; split the round by track or narrow the expert pool',
    { entries, experts, pairs: entries * experts, maxPairs: MAX_ASSIGNMENT_PAIRS },
  );
};
