import * as z from 'zod';
import { task } from '../lib/task.ts';
import { sendClaimedSuccess } from '../lib/task-callback.ts';
import { slug } from '../../shared/ids.ts';
import { claimSponsorCallback, updateAwards } from '../store/awards.ts';

const input = z.object({ competitionId: slug, kind: z.enum(['DECISION', 'SPONSORS']), taskToken: z.string().min(1).max(2048) });

/**
 * The award workflow's callback steps (`.waitForTaskToken`) record their token:
 * the organizer's decision (admin route, or the token from the console with
 * `aws stepfunctions send-task-success`), or the sponsors' confirmations (the
 * last answer resumes; if all are in already, this resumes at once).
 */
export const handler = task(input, async ({ competitionId, kind, taskToken }) => {
  await updateAwards(competitionId, (current) =>
    kind === 'DECISION' ? (current.decisionTaskToken === taskToken ? undefined : { ...current, decisionTaskToken: taskToken }) : current.sponsorTaskToken === taskToken ? undefined : { ...current, sponsorTaskToken: taskToken },
  );
  if (kind === 'SPONSORS') {
    const token = await claimSponsorCallback(competitionId);
    if (token) await sendClaimedSuccess(token, { allAnswered: true }, { competitionId });
  }
  return { registered: true };
});
