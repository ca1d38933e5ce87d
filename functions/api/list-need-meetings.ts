import { api } from '../runtime/http.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';
import { listNeedMeetings } from '../store/matching.ts';

/** The sponsor's meetings for its need, grouped by answer. */
export const handler = api(matchingRoutes.listNeedMeetings, async ({ params, query, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const page = await listNeedMeetings(params.needId, query.limit, query.cursor);
  return { body: { items: page.items, nextCursor: page.cursor } };
});
