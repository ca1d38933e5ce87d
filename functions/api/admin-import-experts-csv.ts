import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { expertRoutes } from '../routes/experts.ts';
import { expertsFromCsv } from '../../shared/review/experts.ts';
import { importExperts } from '../store/experts.ts';

export const handler = idempotentApi(expertRoutes.adminImportExpertsCsv, async ({ body }) => ({
  // Every row is validated before anything is written: a bad file imports nothing.
  body: await importExperts(expertsFromCsv(body), now()),
}));
