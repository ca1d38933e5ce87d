import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError, validationError } from '../../shared/errors.ts';
import { ConversionInputError } from '../../shared/funding/conversion.ts';
import { applyProjectEvent, TransitionError, type ProjectEvent } from '../../shared/funding/project.ts';
import { type ProjectRecord, updateProject } from '../store/projects.ts';
import { recordMetric } from '../runtime/metrics.ts';

/**
 * Records a lifecycle event under the project's version. An event the state
 * does not allow is a 409 that lists the events allowed now; a financing round
 * that qualifies converts the grant into equity, with the arithmetic stored.
 */
export const handler = idempotentApi(awardRoutes.adminProjectEvent, async ({ params, body, principal }) => {
  const at = now().toISOString();
  try {
    const { before, after, written } = await updateProject(
      params.projectId,
      (p) => applyProjectEvent(p, body as ProjectEvent, principal, at) as typeof p,
    );
    if (written) recordProjectMetrics(before, after, body as ProjectEvent);
    const { appointmentTaskToken, appointmentCallbackSentFor, meetingTaskToken, appliedMeetingToken, ...project } =
      after;
    return { body: { project } };
  } catch (e) {
    if (e instanceof TransitionError) throw new AppError(409, e.code, e.message, { allowed: e.allowed });
    if (e instanceof ConversionInputError)
      throw validationError(e.message, [{ path: `round.${e.path}`, message: e.message, code: 'invalid_value' }]);
    throw e;
  }
});

/** Disbursements (count, and amount in the project's currency) and conversions, once each: only a written change counts. */
const recordProjectMetrics = (before: ProjectRecord, after: ProjectRecord, event: ProjectEvent) => {
  const competition = { competitionId: after.competitionId };
  if (event.type === 'TRANCHE_DISBURSED') {
    recordMetric('TranchesDisbursed', competition);
    recordMetric('TrancheAmount', { ...competition, currency: after.currency }, Number(event.amount));
  }
  if (after.status === 'CONVERTED' && before.status !== 'CONVERTED') recordMetric('Conversions', competition);
};
