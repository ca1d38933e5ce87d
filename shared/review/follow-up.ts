/**
 * What a review round still needs while it is under way, decided from its
 * stored assignments alone (so a replayed step decides the same): backups for
 * declined reviews, backups for reviews overdue at the reassignment checkpoint,
 * and the extra reviewers of the latest disagreement pass. Nothing is added
 * once fewer than `minHoursToReview` remain before the close.
 */
export interface HeldAssignment {
  assignmentId: string;
  entryId: string;
  status: 'PENDING' | 'SUBMITTED' | 'DECLINED' | 'REVOKED';
  assignedAt?: string;
  updatedAt: string;
  replacedBy?: string;
  extraPass?: number;
}

export type SlotNeed =
  | { kind: 'REPLACES'; assignmentId: string; reason: 'DECLINED' | 'OVERDUE' }
  | { kind: 'EXTRA'; pass: number };

export interface FollowUpRules {
  closesAt: string;
  reassignPendingHoursBefore?: number;
  minHoursToReview: number;
}

const HOUR = 3600_000;

/** A backup or extra reviewer still has `minHoursToReview` before the close. */
export const windowAllowsNewReviews = (rules: FollowUpRules, now: number) =>
  Date.parse(rules.closesAt) - now >= rules.minHoursToReview * HOUR;

/** The reassignment checkpoint has passed (and the round has not closed). */
export const reassignmentDue = (rules: FollowUpRules, now: number) =>
  rules.reassignPendingHoursBefore !== undefined &&
  now >= Date.parse(rules.closesAt) - rules.reassignPendingHoursBefore * HOUR &&
  now < Date.parse(rules.closesAt);

export const topUpSlots = (
  rules: FollowUpRules,
  assignments: HeldAssignment[],
  extraPass: { k: number; entryIds: string[] } | undefined,
  now: number,
) => {
  if (!windowAllowsNewReviews(rules, now)) return [];
  const slots: Array<{ entryId: string; need: SlotNeed }> = [];
  const overdueBefore =
    rules.reassignPendingHoursBefore !== undefined
      ? Date.parse(rules.closesAt) - rules.reassignPendingHoursBefore * HOUR
      : -Infinity;
  const reassign = reassignmentDue(rules, now);
  for (const a of assignments) {
    if (a.replacedBy) continue;
    if (a.status === 'DECLINED')
      slots.push({ entryId: a.entryId, need: { kind: 'REPLACES', assignmentId: a.assignmentId, reason: 'DECLINED' } });
    // Only reviews that were already assigned at the checkpoint are overdue, not backups given since.
    else if (reassign && a.status === 'PENDING' && Date.parse(a.assignedAt ?? a.updatedAt) < overdueBefore) {
      slots.push({ entryId: a.entryId, need: { kind: 'REPLACES', assignmentId: a.assignmentId, reason: 'OVERDUE' } });
    }
  }
  if (extraPass) {
    const served = new Set(assignments.filter((a) => a.extraPass === extraPass.k).map((a) => a.entryId));
    for (const entryId of extraPass.entryIds)
      if (!served.has(entryId)) slots.push({ entryId, need: { kind: 'EXTRA', pass: extraPass.k } });
  }
  return slots;
};
