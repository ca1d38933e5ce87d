import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { reviewRoundOf } from '../services/round-data.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listDecisionsPage } from '../store/decisions.ts';

/** A round's decisions a page at a time: a round of any size answers well under Lambda's 6 MB. */
export const handler = api(roundRoutes.adminListDecisions, async ({ params, query }) => {
  reviewRoundOf(await requireCompetition(params.competitionId), params.roundId);
  const page = await listDecisionsPage(params.competitionId, params.roundId, query.limit, query.cursor);
  return { body: { items: page.items, nextCursor: page.cursor ?? null } };
});
