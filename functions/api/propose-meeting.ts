import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { proposeMeeting } from '../services/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';

/** 对接: the sponsor invites the solver of a shortlisted answer to a meeting. */
export const handler = idempotentApi(matchingRoutes.proposeMeeting, async ({ params, body, headers }) => {
  const need = await loadSponsorNeed(params.needId, headers);
  const meeting = await proposeMeeting(need, params.entryId, body, now());
  return { status: 201, body: { meeting } };
});
