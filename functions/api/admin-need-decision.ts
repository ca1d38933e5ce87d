import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { decideNeed, ownerNeedView } from '../services/needs.ts';

/** 需求凝练: the organizer publishes, returns (with a reason) or rejects (with a reason) a submitted need. */
export const handler = idempotentApi(needRoutes.adminNeedDecision, async ({ params, body, principal }) => {
  const need = await decideNeed(params.needId, body, principal, now());
  return { body: { need: ownerNeedView(need) } };
});
