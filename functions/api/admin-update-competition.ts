import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { routes } from '../routes.ts';
import { assertCompatibleUpdate, assertValidConfig } from '../../shared/competition.ts';
import { replaceCompetition, requireCompetition } from '../store/competitions.ts';

export const handler = api(routes.adminUpdateCompetition, async ({ params, body }) => {
  assertValidConfig(body);
  const existing = await requireCompetition(params.competitionId);
  assertCompatibleUpdate(existing, body);
  return { body: { competition: await replaceCompetition(existing, body, now()) } };
});
