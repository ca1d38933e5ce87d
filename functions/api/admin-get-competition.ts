import { api } from '../lib/http.ts';
import { routes } from '../routes.ts';
import { requireCompetition } from '../store/competitions.ts';

export const handler = api(routes.adminGetCompetition, async ({ params }) => ({
  body: { competition: await requireCompetition(params.competitionId) },
}));
