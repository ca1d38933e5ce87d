import { api } from '../runtime/http.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { requireCompetition } from '../store/competitions.ts';

export const handler = api(organizerRoutes.adminGetCompetition, async ({ params }) => ({
  body: { competition: await requireCompetition(params.competitionId) },
}));
