import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { nominateExperts } from '../services/needs.ts';

/** The sponsor names experts of the pool to review the answers to its need, where the competition allows it. */
export const handler = api(needRoutes.nominateExperts, async ({ params, body, headers }) => {
  const need = await nominateExperts(params.needId, headers, body.experts, now());
  return { body: { needId: need.needId, nominatedExperts: need.nominatedExperts ?? [] } };
});
