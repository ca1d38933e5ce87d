import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { assertCompatibleUpdate, assertValidConfig } from '../../shared/competition.ts';
import { replaceCompetition, requireCompetition } from '../store/competitions.ts';

export const handler = api(organizerRoutes.adminUpdateCompetition, async ({ params, body }) => {
  assertValidConfig(body);
  const existing = await requireCompetition(params.competitionId);
  assertCompatibleUpdate(existing, body);
  return { body: { competition: await replaceCompetition(existing, body, now()) } };
});
