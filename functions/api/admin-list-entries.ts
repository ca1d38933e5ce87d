import { api } from '../runtime/http.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listEntries } from '../store/entries.ts';
import { ownerView } from '../services/entry-access.ts';

export const handler = api(organizerRoutes.adminListEntries, async ({ params, query }) => {
  await requireCompetition(params.competitionId);
  const page = await listEntries(params.competitionId, query.trackId, query.status, query.limit, query.cursor);
  return { body: { items: page.items.map(ownerView), nextCursor: page.cursor ?? null } };
});
