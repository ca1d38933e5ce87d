import { api } from '../runtime/http.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { listCompetitionDeals } from '../store/matching.ts';

/** The competition's deals, most recently recorded first. */
export const handler = api(matchingRoutes.adminListDeals, async ({ params, query }) => {
  const page = await listCompetitionDeals(params.competitionId, query.limit, query.cursor);
  return { body: { items: page.items, nextCursor: page.cursor } };
});
