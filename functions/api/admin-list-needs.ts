import { api } from '../runtime/http.ts';
import { needRoutes } from '../routes/needs.ts';
import { ownerNeedView } from '../services/needs.ts';
import { listNeedsByStatus } from '../store/needs.ts';

/** The organizer's work list: the competition's needs in one status, most recently changed first. */
export const handler = api(needRoutes.adminListNeeds, async ({ params, query }) => {
  const page = await listNeedsByStatus(params.competitionId, query.status, query.limit, query.cursor);
  return { body: { items: page.items.map(ownerNeedView), nextCursor: page.cursor } };
});
