import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { assertValidConfig } from '../../shared/competition.ts';
import { createCompetition } from '../store/competitions.ts';

export const handler = idempotentApi(organizerRoutes.adminCreateCompetition, async ({ body }) => {
  const { competitionId, ...config } = body;
  assertValidConfig(config);
  const { competition, created } = await createCompetition(competitionId, config, now());
  return { status: created ? 201 : 200, body: { competition } };
});
