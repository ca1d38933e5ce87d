import { awardRoutes } from '../routes/awards.ts';
import { requiredEnv } from '../runtime/aws.ts';
import { startOrResume } from '../runtime/executions.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { requireTalliedFinal } from '../services/award-data.ts';
import { requireCompetition } from '../store/competitions.ts';

/** Starts the award workflow (execution `<competitionId>_awards`) once the final round has been tallied. */
export const handler = idempotentApi(awardRoutes.adminStartAwards, async ({ params }) => {
  const { competitionId } = params;
  await requireTalliedFinal(await requireCompetition(competitionId));
  return startOrResume(requiredEnv('AWARD_STATE_MACHINE_ARN'), `${competitionId}_awards`, { competitionId });
});
