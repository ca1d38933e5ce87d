import { idempotentApi } from '../services/idempotency.ts';
import { planOf } from '../services/award-data.ts';
import { sendTaskSuccess } from '../runtime/executions.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AmendmentError, applyAmendment } from '../../shared/awards/allocation.ts';
import { AppError, conflict, validationError } from '../../shared/errors.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getAwards } from '../store/awards.ts';

/**
 * The organizer's decision on the proposal. Checked here first — amendments
 * are applied to the stored proposal in a dry run, so a bad one is a 422 that
 * changes nothing — then sent to the waiting workflow step, which records it
 * with who, when and why.
 */
export const handler = idempotentApi(awardRoutes.adminAwardDecision, async ({ params, body, principal }) => {
  const competition = await requireCompetition(params.competitionId);
  const a = await getAwards(params.competitionId);
  if (!a) throw new AppError(404, 'NOT_FOUND', 'No award proposal yet');
  if (a.status !== 'PROPOSED' || !a.decisionTaskToken || a.decisionTaskToken === a.appliedDecisionToken) {
    throw conflict('NOT_AWAITING_DECISION', `The awards are not waiting for a decision (status ${a.status})`);
  }
  if (body.action === 'AMEND') {
    const plan = a.plan ?? planOf(competition);
    body.amendments.reduce((p, x, i) => {
      try {
        return applyAmendment(p, plan, x);
      } catch (e) {
        if (e instanceof AmendmentError)
          throw validationError('The amendment cannot be applied', [
            { path: `amendments.${i}`, message: e.message, code: e.code },
          ]);
        throw e;
      }
    }, a.proposal);
  }
  const sent = await sendTaskSuccess(
    a.decisionTaskToken,
    { ...body, by: principal },
    { competitionId: params.competitionId },
  );
  if (!sent) throw conflict('NOT_AWAITING_DECISION', 'The decision step has ended; reload the awards');
  return { body: { sent: true, action: body.action, proposalVersion: a.proposalVersion } };
});
