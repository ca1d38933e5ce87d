import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { intakeRoundFor, nextWake, roundSlug, slug } from '../../shared/competition.ts';
import { requireCompetition } from '../store/competitions.ts';
import { advanceRound } from '../store/rounds.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug, executionName: z.string().max(80) });

/** First step of the intake round: record that it runs, and say when to wake. */
export const handler = task(input, async ({ competitionId, roundId, executionName }) => {
  const competition = await requireCompetition(competitionId);
  const round = intakeRoundFor(competition, roundId);
  const at = now();
  await advanceRound(competitionId, roundId, 'WAITING_FOR_DEADLINE', { startedAt: at.toISOString(), executionName });
  return { deadline: round.submissionDeadline, waitUntil: nextWake(round.submissionDeadline, at) };
});
