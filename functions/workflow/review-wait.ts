import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { roundSlug, slug } from '../../shared/ids.ts';
import { registerWait } from '../services/callbacks.ts';
import { reviewWait } from '../store/rounds.ts';

const input = z.object({
  competitionId: slug,
  roundId: roundSlug,
  taskToken: z.string().min(1).max(2048),
  timeoutSeconds: z.number().int().min(1),
});

/**
 * The callback step (`.waitForTaskToken`): records the task token where the
 * completing review will find it. If every review is already in, resumes now.
 * The token is kept server-side only; it never appears in a link.
 */
export const handler = task(input, async ({ competitionId, roundId, taskToken }) => {
  return registerWait(reviewWait(competitionId, roundId), taskToken, { competitionId, roundId });
});
