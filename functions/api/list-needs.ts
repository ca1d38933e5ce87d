import { catalogueLine, searchTerms, toRegionFilter } from '../../shared/needs.ts';
import { notFound } from '../../shared/errors.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { getCompetitionCached } from '../store/competitions.ts';
import { queryCatalogue } from '../store/needs.ts';

/** The public catalogue of a competition's published needs. */
export const handler = api(needRoutes.listNeeds, async ({ params, query }) => {
  const competition = await getCompetitionCached(params.competitionId);
  if (!competition || competition.status === 'DRAFT') throw notFound('Competition');
  const page = await queryCatalogue({
    competitionId: params.competitionId,
    sort: query.sort,
    field: query.field,
    region: query.region ? toRegionFilter(query.region) : undefined,
    minInvestment: query.minInvestment,
    maxInvestment: query.maxInvestment,
    status: query.status,
    terms: query.q ? searchTerms(query.q) : [],
    limit: query.limit,
    cursor: query.cursor,
    now: now(),
  });
  return { body: { items: page.items.map(catalogueLine), nextCursor: page.cursor } };
});
