import { api } from '../runtime/http.ts';
import { needRoutes } from '../routes/needs.ts';
import { requireCompetition } from '../store/competitions.ts';
import { reindexNeedSearch } from '../store/need-search.ts';

/** Rebuilds the keyword search's lines for the competition's published needs. */
export const handler = api(needRoutes.adminReindexNeeds, async ({ params }) => {
  await requireCompetition(params.competitionId);
  return { body: { competitionId: params.competitionId, indexed: await reindexNeedSearch(params.competitionId) } };
});
