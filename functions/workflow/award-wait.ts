import * as z from 'zod';
import { slug } from '../../shared/ids.ts';
import { task } from '../runtime/task.ts';
import { registerWait } from '../services/callbacks.ts';
import { decisionWait, sponsorWait } from '../store/awards.ts';

const input = z.object({
  competitionId: slug,
  kind: z.enum(['DECISION', 'SPONSORS']),
  taskToken: z.string().min(1).max(2048),
});

/**
 * The award workflow's callback steps (`.waitForTaskToken`) record their token:
 * the organizer's decision (admin route, or the token from the console with
 * `aws stepfunctions send-task-success`), or the sponsors' confirmations (the
 * last answer resumes; if all are in already, this resumes at once).
 */
export const handler = task(input, async ({ competitionId, kind, taskToken }) => {
  const slot = kind === 'DECISION' ? decisionWait(competitionId) : sponsorWait(competitionId);
  return registerWait(slot, taskToken, { competitionId });
});
