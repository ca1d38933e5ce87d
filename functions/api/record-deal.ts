import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { recordDeal } from '../services/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';

/** 签约: the sponsor records a contract signed with a solver that answered its need. */
export const handler = idempotentApi(matchingRoutes.recordDeal, async ({ params, body, headers }) => {
  const need = await loadSponsorNeed(params.needId, headers);
  const deal = await recordDeal(need, body, { by: 'SPONSOR' }, now());
  return { status: 201, body: { deal } };
});
