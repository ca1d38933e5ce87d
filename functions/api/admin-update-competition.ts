import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { assertCompatibleUpdate, assertValidConfig } from '../../shared/competition.ts';
import { replaceCompetition, requireCompetition } from '../store/competitions.ts';

export const handler = idempotentApi(organizerRoutes.adminUpdateCompetition, async ({ params, body }) => {
  assertValidConfig(body);
  const existing = await requireCompetition(params.competitionId);
  assertCompatibleUpdate(existing, body);
  return { body: { competition: await replaceCompetition(existing, body, now()) } };
});
