import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { AppError } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getRoundRun } from '../store/rounds.ts';
import { getReviewProgress } from '../store/reviews.ts';
import { listDecisionsPage } from '../store/decisions.ts';

/** Decisions the status answer carries; the rest page through …/decisions. */
const FIRST_DECISIONS = 25;

export const handler = api(roundRoutes.adminGetRound, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const round = competition.rounds.find((r) => r.roundId === params.roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', 'Round was not found');
  const run = await getRoundRun(params.competitionId, params.roundId);
  if (round.kind === 'INTAKE') return { body: { round, run: run ?? { status: 'NOT_STARTED' } } };
  // Review rounds: progress (counters) while reviews arrive; once tallied, the first page of decisions.
  const [progress, decisions] = await Promise.all([
    getReviewProgress(params.competitionId, params.roundId),
    listDecisionsPage(params.competitionId, params.roundId, FIRST_DECISIONS),
  ]);
  return {
    body: {
      round,
      run: run ?? { status: 'NOT_STARTED' },
      progress,
      decisions: decisions.items,
      decisionsNextCursor: decisions.cursor ?? null,
    },
  };
});
