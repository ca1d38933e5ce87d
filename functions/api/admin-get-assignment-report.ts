import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { AppError } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getAssignmentReport } from '../store/rounds.ts';

/** The whole report the assignment step wrote (in parts of its own, so the round item stays small). */
export const handler = api(roundRoutes.adminGetAssignmentReport, async ({ params }) => {
  await requireCompetition(params.competitionId);
  const report = await getAssignmentReport(params.competitionId, params.roundId);
  if (!report) throw new AppError(404, 'NOT_FOUND', 'This round has no assignment yet');
  return { body: { competitionId: params.competitionId, roundId: params.roundId, report } };
});
