import { AppError } from '../../shared/errors.ts';
import { publicNeedView } from '../../shared/needs.ts';
import { api } from '../runtime/http.ts';
import { needRoutes } from '../routes/needs.ts';
import { loadSponsorNeed, ownerNeedView } from '../services/needs.ts';
import { getNeed } from '../store/needs.ts';
import { listNeedDeals } from '../store/matching.ts';

/** Anyone sees a published need's public part; its sponsor (bearer token) sees all of it, in any
 * status, with the deals recorded for it. */
export const handler = api(needRoutes.getNeed, async ({ params, headers }) => {
  if (headers.authorization) {
    const need = ownerNeedView(await loadSponsorNeed(params.needId, headers));
    return { body: { need, deals: await listNeedDeals(params.needId) } };
  }
  const need = await getNeed(params.needId);
  if (need?.status !== 'PUBLISHED') throw new AppError(404, 'NOT_FOUND', 'Need was not found');
  return { body: { need: publicNeedView(need) } };
});
