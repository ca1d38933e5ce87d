import * as z from 'zod';
import { task } from '../lib/task.ts';
import { sendClaimedSuccess } from '../lib/task-callback.ts';
import { claimAppointmentCallback, updateProject } from '../store/projects.ts';

const input = z.object({ projectId: z.string().min(1).max(60), kind: z.enum(['APPOINTMENT', 'MEETING']), taskToken: z.string().min(1).max(2048) });

/**
 * The hand-off's callback steps record their token: the appointee's answer
 * (through the signed link) resumes the first, the special review meeting's
 * decision (admin route or `aws stepfunctions send-task-success`) the second.
 */
export const handler = task(input, async ({ projectId, kind, taskToken }) => {
  await updateProject(projectId, (p) =>
    kind === 'APPOINTMENT' ? (p.appointmentTaskToken === taskToken ? undefined : { ...p, appointmentTaskToken: taskToken }) : p.meetingTaskToken === taskToken ? undefined : { ...p, meetingTaskToken: taskToken },
  );
  if (kind === 'APPOINTMENT') {
    // Answered before this step registered: resume now.
    const claim = await claimAppointmentCallback(projectId);
    if (claim) await sendClaimedSuccess(claim.token, { accepted: claim.accepted, reason: claim.reason }, { projectId });
  }
  return { registered: true };
});
