import { api } from '../lib/http.ts';
import { routes } from '../routes.ts';
import { listExperts } from '../store/experts.ts';

export const handler = api(routes.adminListExperts, async ({ query }) => {
  const page = await listExperts(query.limit, query.cursor);
  return { body: { items: page.items, cursor: page.cursor ?? null } };
});
