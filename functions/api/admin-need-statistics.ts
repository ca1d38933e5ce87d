import { statisticsCsv } from '../../shared/need-statistics.ts';
import { api } from '../runtime/http.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { competitionNeedStatistics } from '../services/matching.ts';
import { requireCompetition } from '../store/competitions.ts';

/** The figures the center publishes about a competition's needs, as JSON or CSV. */
export const handler = api(matchingRoutes.adminNeedStatistics, async ({ params, query }) => {
  await requireCompetition(params.competitionId);
  const statistics = await competitionNeedStatistics(params.competitionId);
  if (query.format === 'json') return { body: { competitionId: params.competitionId, statistics } };
  return {
    text: { contentType: 'text/csv; charset=utf-8', body: statisticsCsv(statistics) },
    headers: { 'content-disposition': `attachment; filename="${params.competitionId}-needs-statistics.csv"` },
  };
});
