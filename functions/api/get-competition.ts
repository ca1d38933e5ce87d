import { api } from '../runtime/http.ts';
import { publicRoutes } from '../routes/public.ts';
import { publicView } from '../../shared/competition.ts';
import { notFound } from '../../shared/errors.ts';
import { getCompetition } from '../store/competitions.ts';

export const handler = api(publicRoutes.getCompetition, async ({ params }) => {
  const c = await getCompetition(params.competitionId);
  if (!c || c.status === 'DRAFT') throw notFound('Competition');
  return { body: { competition: publicView(c) }, headers: { 'cache-control': 'public, max-age=30' } };
});
