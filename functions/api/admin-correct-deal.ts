import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { correctRecordedDeal } from '../services/matching.ts';

/** The organizer corrects a deal, with a reason; who did it is kept in the deal's history. */
export const handler = api(matchingRoutes.adminCorrectDeal, async ({ params, body, principal }) => {
  const deal = await correctRecordedDeal(params.needId, params.dealId, body, { by: 'ORGANIZER', principal }, now());
  return { body: { deal } };
});
