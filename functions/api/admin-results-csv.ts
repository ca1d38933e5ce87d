import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError } from '../../shared/errors.ts';
import { rankingCsv } from '../../shared/awards/export.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getAwards } from '../store/awards.ts';

/** The full final ranking with per-criterion means and awards, as CSV. */
export const handler = api(awardRoutes.adminResultsCsv, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const a = await getAwards(params.competitionId);
  if (!a) throw new AppError(404, 'NOT_FOUND', 'No award proposal yet');
  const awards = a.status === 'PUBLISHED' ? (a.published ?? []) : a.proposal.awards;
  return {
    text: {
      contentType: 'text/csv; charset=utf-8',
      body: rankingCsv(
        competition.rubric.criteria.map((c) => c.criterionId),
        a.proposal.ranking,
        a.criteria,
        a.entries,
        awards,
      ),
    },
    headers: { 'content-disposition': `attachment; filename="${params.competitionId}-ranking.csv"` },
  };
});
