import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { expertRoutes } from '../routes/experts.ts';
import { assertUniqueEmails } from '../../shared/review/experts.ts';
import { importExperts } from '../store/experts.ts';

export const handler = idempotentApi(expertRoutes.adminImportExperts, async ({ body }) => {
  assertUniqueEmails(body.experts, (i) => `experts.${i}`);
  return { body: await importExperts(body.experts, now()) };
});
