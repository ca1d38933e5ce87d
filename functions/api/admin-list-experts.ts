import { api } from '../runtime/http.ts';
import { expertRoutes } from '../routes/experts.ts';
import { listExperts } from '../store/experts.ts';

export const handler = api(expertRoutes.adminListExperts, async ({ query }) => {
  const page = await listExperts(query.limit, query.cursor);
  return { body: { items: page.items, nextCursor: page.cursor ?? null } };
});
