import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { correctRecordedDeal } from '../services/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';

/** The sponsor corrects one of its need's deals, with a reason. */
export const handler = api(matchingRoutes.correctDeal, async ({ params, body, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const deal = await correctRecordedDeal(params.needId, params.dealId, body, { by: 'SPONSOR' }, now());
  return { body: { deal } };
});
