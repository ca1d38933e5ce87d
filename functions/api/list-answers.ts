import { api } from '../runtime/http.ts';
import { needRoutes } from '../routes/needs.ts';
import { loadSponsorNeed } from '../services/needs.ts';
import { getEntryRecords } from '../store/entries.ts';
import { listAnswers } from '../store/needs.ts';

/**
 * The sponsor's view of the answers to its need: each answering entry as it stands now (what the solver
 * proposes and who they are — no contact details, no token) with the sponsor's own decision.
 */
export const handler = api(needRoutes.listAnswers, async ({ params, query, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const page = await listAnswers(params.needId, query.limit, query.cursor);
  const entries = new Map((await getEntryRecords(page.items.map((a) => a.entryId))).map((e) => [e.entryId, e]));
  const items = page.items.map((a) => {
    const e = entries.get(a.entryId);
    return {
      entryId: a.entryId,
      answeredAt: a.answeredAt,
      status: a.status,
      history: a.history,
      entry: e && {
        status: e.status,
        title: e.title,
        summary: e.summary,
        solution: e.solution,
        keywords: e.keywords,
        applicant: {
          organizationName: e.applicant.organizationName,
          organizationType: e.applicant.organizationType,
          region: e.applicant.region,
        },
      },
    };
  });
  return { body: { items, nextCursor: page.cursor } };
});
