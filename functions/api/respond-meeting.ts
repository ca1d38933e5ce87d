import { notFound } from '../../shared/errors.ts';
import { meetingStep } from '../../shared/matching.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { loadOwnedEntry } from '../services/entry-access.ts';
import { notFoundAs } from '../services/matching.ts';
import { updateMeeting } from '../store/matching.ts';

/** The solver accepts or declines a meeting proposed to its entry; a repeated answer changes nothing. */
export const handler = api(matchingRoutes.respondToMeeting, async ({ params, body, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  if (!entry.needId) throw notFound('Meeting');
  const at = now();
  const { after } = await updateMeeting(entry.needId, entry.entryId, params.meetingId, (m) =>
    meetingStep(m, 'SOLVER', body.action, at, body.reason),
  ).catch(notFoundAs('Meeting'));
  return { body: { meeting: after } };
});
