import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { intakeRoundFor, nextWake, roundSlug, slug } from '../../shared/competition.ts';
import { requireCompetition } from '../store/competitions.ts';
import { advanceRound } from '../store/rounds.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/**
 * Closes intake once the deadline (re-read: organizers may have extended it) has
 * passed by server time; otherwise tells the state machine when to check again.
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  const { submissionDeadline } = intakeRoundFor(competition, roundId);
  const at = now();
  if (at.getTime() <= Date.parse(submissionDeadline)) {
    return { closed: false, deadline: submissionDeadline, waitUntil: nextWake(submissionDeadline, at) };
  }
  await advanceRound(competitionId, roundId, 'SCREENING', { intakeClosedAt: at.toISOString() });
  return { closed: true, deadline: submissionDeadline, waitUntil: at.toISOString() };
});
