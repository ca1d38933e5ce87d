import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { registerWait } from '../services/callbacks.ts';
import { appointmentWait, meetingWait } from '../store/projects.ts';

const input = z.object({
  projectId: z.string().min(1).max(60),
  kind: z.enum(['APPOINTMENT', 'MEETING']),
  taskToken: z.string().min(1).max(2048),
});

/**
 * The hand-off's callback steps record their token: the appointee's answer
 * (through the signed link) resumes the first — at once if it was given before
 * this step ran — and the special review meeting's decision (admin route or
 * `aws stepfunctions send-task-success`) the second.
 */
export const handler = task(input, async ({ projectId, kind, taskToken }) => {
  const slot = kind === 'APPOINTMENT' ? appointmentWait(projectId) : meetingWait(projectId);
  return registerWait(slot, taskToken, { projectId });
});
