import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError } from '../../shared/errors.ts';
import { allowedEvents } from '../../shared/funding/project.ts';
import { getProject } from '../store/projects.ts';

/**
 * One project, the events it accepts now, and — while the hand-off waits for
 * the special review meeting — `pendingMeetingToken` for `aws stepfunctions
 * send-task-success` (the meeting route sends it for you).
 */
export const handler = api(awardRoutes.adminGetProject, async ({ params }) => {
  const p = await getProject(params.projectId);
  if (!p) throw new AppError(404, 'NOT_FOUND', 'Project not found');
  const { appointmentTaskToken, appointmentCallbackSentFor, meetingTaskToken, appliedMeetingToken, ...project } = p;
  const waiting = p.status === 'PENDING_MEETING' && !!meetingTaskToken && meetingTaskToken !== appliedMeetingToken;
  return {
    body: {
      project: {
        ...project,
        allowedEvents: allowedEvents(p),
        ...(waiting ? { pendingMeetingToken: meetingTaskToken } : {}),
      },
    },
  };
});
