import { api } from '../runtime/http.ts';
import { publicRoutes } from '../routes/public.ts';
import { publicView } from '../../shared/competition.ts';
import { listCompetitions } from '../store/competitions.ts';

export const handler = api(publicRoutes.listCompetitions, async ({ query }) => {
  const page = await listCompetitions('PUBLISHED', query.limit, query.cursor);
  return {
    body: { items: page.items.map(publicView), nextCursor: page.cursor ?? null },
    headers: { 'cache-control': 'public, max-age=30' },
  };
});
