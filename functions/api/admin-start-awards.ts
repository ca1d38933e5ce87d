import { api } from '../runtime/http.ts';
import { requiredEnv } from '../runtime/aws.ts';
import { finalRoundOf } from '../services/award-data.ts';
import { startOrResume } from '../runtime/executions.ts';
import { awardRoutes } from '../routes/awards.ts';
import { conflict } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getRoundRun } from '../store/rounds.ts';

/** Starts the award workflow (execution `<competitionId>_awards`) once the final round has been tallied. */
export const handler = api(awardRoutes.adminStartAwards, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const final = finalRoundOf(competition);
  const run = await getRoundRun(params.competitionId, final.roundId);
  if (run?.status !== 'TALLIED')
    throw conflict(
      'FINAL_ROUND_NOT_TALLIED',
      `Round "${final.roundId}" has not been tallied (status ${run?.status ?? 'NOT_STARTED'})`,
    );
  return startOrResume(requiredEnv('AWARD_STATE_MACHINE_ARN'), `${params.competitionId}_awards`, {
    competitionId: params.competitionId,
  });
});
