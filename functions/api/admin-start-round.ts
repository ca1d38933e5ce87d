import { idempotentApi } from '../services/idempotency.ts';
import { requiredEnv } from '../runtime/aws.ts';
import { startOrResume } from '../runtime/executions.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import { roundExecutionName } from '../../shared/competition.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getRoundRun } from '../store/rounds.ts';

export const handler = idempotentApi(roundRoutes.adminStartRound, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const round = competition.rounds.find((r) => r.roundId === params.roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', 'Round was not found');
  if (competition.status !== 'PUBLISHED')
    throw conflict('COMPETITION_NOT_OPEN', 'Publish the competition before starting its rounds');
  // A review round scores what the round before it produced: that round must have finished.
  const index = competition.rounds.indexOf(round);
  if (index > 0) {
    const previous = competition.rounds[index - 1]!;
    const run = await getRoundRun(params.competitionId, previous.roundId);
    const finished = previous.kind === 'INTAKE' ? 'SCREENED' : 'TALLIED';
    if (run?.status !== finished) {
      throw conflict(
        'PREVIOUS_ROUND_NOT_FINISHED',
        `Round "${previous.roundId}" has not finished (status ${run?.status ?? 'NOT_STARTED'}; needs ${finished})`,
      );
    }
  }

  // The intake round and the review rounds each have their state machine.
  const stateMachineArn = requiredEnv(
    round.kind === 'INTAKE' ? 'INTAKE_STATE_MACHINE_ARN' : 'REVIEW_STATE_MACHINE_ARN',
  );
  // A blind round's missing anonymized copies are on its assignment report (reading every entry's
  // documents does not belong in a request that must answer within the API's 30 seconds).
  return startOrResume(stateMachineArn, roundExecutionName(params.competitionId, params.roundId), {
    competitionId: params.competitionId,
    roundId: params.roundId,
  });
});
