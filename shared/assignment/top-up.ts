import { buildProblem, type AssignmentInstance } from './instance.ts';
import { solveAssignment, type Shortfall } from './solve.ts';

/**
 * Backup and extra reviewers for a round already under way (候补专家): the same
 * exact solver over the entries that need more reviews, with what the round
 * already holds taken into account — an expert's remaining capacity is its cap
 * minus its active reviews, and nobody is assigned to an entry they already
 * hold, declined or were taken off.
 */
export interface HeldReview {
  entryId: string;
  expertEmail: string;
  /** Active reviews use capacity; declined and revoked ones only bar the expert from the entry. */
  active: boolean;
}

export interface TopUpSlot<T> {
  entryId: string;
  /** Carried through to the result (why the slot exists, which review it replaces). */
  need: T;
}

export interface TopUpResult<T> {
  filled: Array<{ entryId: string; expertEmail: string; need: T }>;
  unfilled: Array<{ entryId: string; need: T; reason: Shortfall['reason'] }>;
}

export const solveTopUp = <T>(
  instance: AssignmentInstance,
  held: HeldReview[],
  slots: TopUpSlot<T>[],
): TopUpResult<T> => {
  const wanted = new Map<string, T[]>();
  for (const s of slots) (wanted.get(s.entryId) ?? wanted.set(s.entryId, []).get(s.entryId)!).push(s.need);
  const entries = instance.entries.filter((e) => wanted.has(e.id));
  if (!entries.length)
    return {
      filled: [],
      unfilled: slots.map((s) => ({
        entryId: s.entryId,
        need: s.need,
        reason: 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' as const,
      })),
    };
  const { problem } = buildProblem({ ...instance, entries });
  const m = instance.reviewers.length;
  const reviewerIndex = new Map(instance.reviewers.map((r, j) => [r.id, j]));
  const entryIndex = new Map(entries.map((e, i) => [e.id, i]));
  const capacity = Int32Array.from(instance.reviewers, (r) => r.cap);
  for (const h of held) {
    const j = reviewerIndex.get(h.expertEmail);
    if (j === undefined) continue;
    if (h.active) capacity[j] = Math.max(0, capacity[j]! - 1);
    const i = entryIndex.get(h.entryId);
    if (i !== undefined) problem.conflict[i * m + j] = 1;
  }
  problem.capacity = capacity;
  problem.demand = Int32Array.from(entries, (e) => wanted.get(e.id)!.length);
  const solution = solveAssignment(problem);
  const filled: TopUpResult<T>['filled'] = [];
  const unfilled: TopUpResult<T>['unfilled'] = [];
  entries.forEach((e, i) => {
    const needs = wanted.get(e.id)!;
    const chosen = solution.reviewersOf[i]!;
    needs.forEach((need, k) => {
      const j = chosen[k];
      if (j !== undefined) filled.push({ entryId: e.id, expertEmail: instance.reviewers[j]!.id, need });
      else
        unfilled.push({
          entryId: e.id,
          need,
          reason: solution.shortfalls.find((f) => f.entry === i)?.reason ?? 'CONFLICT_FREE_REVIEWERS_AT_CAPACITY',
        });
    });
  });
  // Slots for entries the instance does not know (withdrawn since) cannot be filled.
  for (const s of slots)
    if (!entryIndex.has(s.entryId))
      unfilled.push({ entryId: s.entryId, need: s.need, reason: 'NOT_ENOUGH_CONFLICT_FREE_REVIEWERS' });
  return { filled, unfilled };
};
