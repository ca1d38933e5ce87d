import { AppError } from '../../shared/errors.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { loadSponsorNeed } from '../services/needs.ts';
import { updateAnswer } from '../store/matching.ts';

const STATUS = { SHORTLIST: 'SHORTLISTED', DECLINE: 'DECLINED' } as const;

/** 入围: the sponsor shortlists an answer to its own need, or declines it with a reason. */
export const handler = api(needRoutes.decideAnswer, async ({ params, body, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const at = now().toISOString();
  const { after } = await updateAnswer(params.needId, params.entryId, (a) => {
    const last = a.history.at(-1);
    if (last?.action === body.action && last.reason === body.reason) return undefined; // a retried decision
    if (a.history.length >= 50) throw new AppError(409, 'ANSWER_HISTORY_FULL', 'An answer keeps at most 50 decisions');
    const status = STATUS[body.action];
    return {
      ...a,
      status,
      history: [...a.history, { at, action: body.action, ...(body.reason ? { reason: body.reason } : {}), status }],
    };
  }).catch((e: unknown) => {
    if (e instanceof AppError && e.status === 404) throw new AppError(404, 'NOT_FOUND', 'Answer was not found');
    throw e;
  });
  return { body: { answer: after } };
});
