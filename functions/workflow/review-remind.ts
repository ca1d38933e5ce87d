import * as z from 'zod';
import { task } from '../lib/task.ts';
import { now } from '../lib/clock.ts';
import { reviewRoundOf } from '../lib/round-data.ts';
import { roundSlug, slug } from '../../shared/ids.ts';
import { dueReminders, nextCheckpoint } from '../../shared/review/reminders.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listRoundAssignments, type AssignmentRecord } from '../store/reviews.ts';
import { putReminder } from '../store/round-results.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/**
 * Runs when the review wait times out before the close: queues a reminder for
 * every expert with pending reviews (once per expert and offset), then says how
 * long to wait next — or that the round has closed.
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  const { round } = reviewRoundOf(competition, roundId);
  const at = now();
  if (at.getTime() >= Date.parse(round.reviewClosesAt)) return { closed: true, timeoutSeconds: 1, reminded: 0 };
  const pending = new Map<string, string[]>();
  let cursor: string | undefined;
  do {
    const page = await listRoundAssignments(competitionId, roundId, 100, cursor);
    for (const a of page.items as AssignmentRecord[]) if (a.status === 'PENDING') (pending.get(a.expertEmail) ?? pending.set(a.expertEmail, []).get(a.expertEmail)!).push(a.assignmentId);
    cursor = page.cursor;
  } while (cursor);
  let reminded = 0;
  for (const hours of dueReminders(round.reviewClosesAt, round.reminderHoursBefore, at.getTime())) {
    for (const [expertEmail, assignmentIds] of pending) {
      if (await putReminder({ competitionId, roundId, expertEmail, hoursBefore: hours, assignmentIds, createdAt: at.toISOString() })) reminded++;
    }
  }
  const next = nextCheckpoint(round.reviewClosesAt, round.reminderHoursBefore, at.getTime());
  return { closed: false, timeoutSeconds: next.timeoutSeconds, reminded };
});
