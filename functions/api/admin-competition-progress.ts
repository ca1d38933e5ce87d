import { organizerRoutes } from '../routes/organizer.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { competitionProgress } from '../services/progress.ts';

export const handler = api(organizerRoutes.adminCompetitionProgress, async ({ params }) => ({
  body: { progress: await competitionProgress(params.competitionId, now()) },
}));
