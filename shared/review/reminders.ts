/**
 * Reminder schedule of a review round: the instants `hoursBefore` the close,
 * latest-first order irrelevant; only those still in the future count.
 */
export const reminderTimes = (closesAt: string, hoursBefore: number[]): number[] =>
  [...new Set(hoursBefore)].map((h) => Date.parse(closesAt) - h * 3600_000).sort((a, b) => a - b);

/**
 * What the wait step should do next at `now`: wait until the next reminder (and
 * then send it) or until the close. Seconds are whole and at least 1, as Step
 * Functions requires.
 */
export const nextCheckpoint = (
  closesAt: string,
  hoursBefore: number[],
  now: number,
): { kind: 'reminder' | 'close'; at: number; timeoutSeconds: number } => {
  const close = Date.parse(closesAt);
  const next = reminderTimes(closesAt, hoursBefore).find((t) => t > now && t < close);
  const at = next ?? close;
  return { kind: next ? 'reminder' : 'close', at, timeoutSeconds: Math.max(1, Math.ceil((at - now) / 1000)) };
};

/** Reminders due by `now` (at or after their time), for idempotent sending keyed by their offset. */
export const dueReminders = (closesAt: string, hoursBefore: number[], now: number) =>
  [...new Set(hoursBefore)].filter((h) => Date.parse(closesAt) - h * 3600_000 <= now && now < Date.parse(closesAt));

/**
 * Offsets (hours before the close) at which the round's wait ends early: the
 * reminders and, when configured, the reassignment of overdue reviews.
 */
export const checkpointOffsets = (round: {
  reminderHoursBefore: number[];
  backupReviewers?: { reassignPendingHoursBefore?: number };
}) => [
  ...round.reminderHoursBefore,
  ...(round.backupReviewers?.reassignPendingHoursBefore !== undefined
    ? [round.backupReviewers.reassignPendingHoursBefore]
    : []),
];
