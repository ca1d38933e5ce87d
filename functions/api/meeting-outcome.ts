import { meetingStep } from '../../shared/matching.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';
import { updateMeeting } from '../store/matching.ts';
import { notFoundAs } from '../services/matching.ts';

/** The sponsor records how a meeting went, or cancels it; a repeated outcome changes nothing. */
export const handler = api(matchingRoutes.meetingOutcome, async ({ params, body, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const at = now();
  const { after } = await updateMeeting(params.needId, params.entryId, params.meetingId, (m) =>
    meetingStep(m, 'SPONSOR', body.outcome, at, body.notes),
  ).catch(notFoundAs('Meeting'));
  return { body: { meeting: after } };
});
