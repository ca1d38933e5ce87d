import { now } from '../runtime/clock.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { recordDeal, requireNeed } from '../services/matching.ts';

/** 签约: the organizer records a contract signed for a need (the center hears of most deals first). */
export const handler = idempotentApi(matchingRoutes.adminRecordDeal, async ({ params, body, principal }) => {
  const deal = await recordDeal(await requireNeed(params.needId), body, { by: 'ORGANIZER', principal }, now());
  return { status: 201, body: { deal } };
});
