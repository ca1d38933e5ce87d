import { api } from '../runtime/http.ts';
import { needRoutes } from '../routes/needs.ts';
import { answersPage } from '../services/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';

/**
 * The sponsor's view of the answers to its need: each answering entry as it stands now (what the solver
 * proposes and who they are — no contact details, no token), its clean documents, and the sponsor's own
 * decision.
 */
export const handler = api(needRoutes.listAnswers, async ({ params, query, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const page = await answersPage(params.needId, query.limit, query.cursor);
  const items = page.items.map(({ answer: a, entry: e, documents }) => ({
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
    // The solver's clean originals; `href` opens one (recorded) through a five-minute link.
    documents: documents.map((d) => ({
      documentId: d.documentId,
      type: d.type,
      fileName: d.fileName,
      size: d.actualSize ?? d.size,
      ...(d.pages ? { pages: d.pages } : {}),
      href: `/needs/${params.needId}/answers/${a.entryId}/documents/${d.documentId}`,
    })),
  }));
  return { body: { items, nextCursor: page.cursor } };
});
