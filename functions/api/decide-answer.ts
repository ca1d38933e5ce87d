import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { decideAnswer } from '../services/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';

/** 入围: the sponsor shortlists an answer to its own need, or declines it with a reason. */
export const handler = api(needRoutes.decideAnswer, async ({ params, body, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  return { body: { answer: await decideAnswer(params.needId, params.entryId, body, now()) } };
});
