import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { AppError } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getRoundRun } from '../store/rounds.ts';
import { getReviewProgress } from '../store/reviews.ts';
import { listDecisions } from '../store/decisions.ts';

export const handler = api(roundRoutes.adminGetRound, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const round = competition.rounds.find((r) => r.roundId === params.roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', 'Round was not found');
  const run = await getRoundRun(params.competitionId, params.roundId);
  if (round.kind === 'INTAKE') return { body: { round, run: run ?? { status: 'NOT_STARTED' } } };
  // Review rounds: progress while reviews arrive, decisions with their explanation once tallied.
  const [progress, decisions] = await Promise.all([
    getReviewProgress(params.competitionId, params.roundId),
    listDecisions(params.competitionId, params.roundId),
  ]);
  return { body: { round, run: run ?? { status: 'NOT_STARTED' }, progress, decisions } };
});
