import { idempotentApi } from '../services/idempotency.ts';
import { sendTaskSuccess } from '../runtime/executions.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import { getProject } from '../store/projects.ts';

/** Sends the special review meeting's decision (专题会审议) to the hand-off workflow waiting for it. */
export const handler = idempotentApi(awardRoutes.adminMeetingDecision, async ({ params, body, principal }) => {
  const p = await getProject(params.projectId);
  if (!p) throw new AppError(404, 'NOT_FOUND', 'Project not found');
  if (p.status !== 'PENDING_MEETING' || !p.meetingTaskToken || p.meetingTaskToken === p.appliedMeetingToken) {
    throw conflict('NOT_AWAITING_MEETING', `The project is not waiting for a meeting decision (status ${p.status})`);
  }
  const sent = await sendTaskSuccess(p.meetingTaskToken, { ...body, by: principal }, { projectId: p.projectId });
  if (!sent) throw conflict('NOT_AWAITING_MEETING', 'The meeting step has ended; reload the project');
  return { body: { sent: true, decision: body.decision } };
});
