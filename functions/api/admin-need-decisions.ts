import { isAppError } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { decideNeed } from '../services/needs.ts';

/**
 * Vetting in bulk: each decision stands alone (one need's conflict does not undo another's), so the
 * answer lists, per need, its new status or the error that kept it as it was.
 */
export const handler = idempotentApi(needRoutes.adminNeedDecisions, async ({ params, body, principal }) => {
  const at = now();
  const results = [];
  // Ten at a time: each is a read and a transaction.
  for (let i = 0; i < body.decisions.length; i += 10) {
    const slice = body.decisions.slice(i, i + 10);
    results.push(
      ...(await Promise.all(
        slice.map(async ({ needId, action, reason }) => {
          try {
            const need = await decideNeed(needId, { action, reason }, principal, at, params.competitionId);
            return { needId, status: need.status };
          } catch (e) {
            if (!isAppError(e)) throw e;
            return { needId, error: { code: e.code, message: e.message } };
          }
        }),
      )),
    );
  }
  const decided = results.filter((r) => 'status' in r).length;
  return { body: { decided, refused: results.length - decided, results } };
});
