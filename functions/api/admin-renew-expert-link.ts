import { now } from '../runtime/clock.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { renewExpertLink } from '../services/expert-links.ts';
import { idempotentApi } from '../services/idempotency.ts';

/** The organizer mails an expert a new link to their home in a round (older ones stop working). */
export const handler = idempotentApi(roundRoutes.adminRenewExpertLink, async ({ params, body, principal }) => {
  const renewed = await renewExpertLink(params.competitionId, params.roundId, body.expertEmail, principal, now());
  return { status: 202, body: { competitionId: params.competitionId, roundId: params.roundId, ...renewed } };
});
