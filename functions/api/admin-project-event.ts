import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError, validationError } from '../../shared/errors.ts';
import { ConversionInputError } from '../../shared/funding/conversion.ts';
import { applyProjectEvent, TransitionError, type ProjectEvent } from '../../shared/funding/project.ts';
import { updateProject } from '../store/projects.ts';

/**
 * Records a lifecycle event under the project's version. An event the state
 * does not allow is a 409 that lists the events allowed now; a financing round
 * that qualifies converts the grant into equity, with the arithmetic stored.
 */
export const handler = idempotentApi(awardRoutes.adminProjectEvent, async ({ params, body, principal }) => {
  const at = now().toISOString();
  try {
    const { after } = await updateProject(
      params.projectId,
      (p) => applyProjectEvent(p, body as ProjectEvent, principal, at) as typeof p,
    );
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
