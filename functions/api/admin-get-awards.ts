import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getAwards } from '../store/awards.ts';

/**
 * The awards as the organizer sees them. While the workflow waits for a
 * decision, `pendingDecisionToken` is the token `aws stepfunctions
 * send-task-success` needs (the admin decision route sends it for you).
 */
export const handler = api(awardRoutes.adminGetAwards, async ({ params }) => {
  await requireCompetition(params.competitionId);
  const a = await getAwards(params.competitionId);
  if (!a) throw new AppError(404, 'NOT_FOUND', 'No award proposal yet: start the award workflow after the final round');
  const { decisionTaskToken, appliedDecisionToken, sponsorTaskToken, sponsorCallbackSentFor, ...rest } = a;
  const waiting = a.status === 'PROPOSED' && !!decisionTaskToken && decisionTaskToken !== appliedDecisionToken;
  return { body: { awards: { ...rest, ...(waiting ? { pendingDecisionToken: decisionTaskToken } : {}) } } };
});
