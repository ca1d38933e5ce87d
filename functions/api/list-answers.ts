import { api } from '../runtime/http.ts';
import { needRoutes } from '../routes/needs.ts';
import { loadSponsorNeed } from '../services/needs.ts';
import { getEntryRecords } from '../store/entries.ts';
import { listAnswers } from '../store/needs.ts';
import { readableDocuments } from '../services/document-access.ts';

/**
 * The sponsor's view of the answers to its need: each answering entry as it stands now (what the solver
 * proposes and who they are — no contact details, no token), its clean documents, and the sponsor's own
 * decision.
 */
export const handler = api(needRoutes.listAnswers, async ({ params, query, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const page = await listAnswers(params.needId, query.limit, query.cursor);
  const [records, documents] = await Promise.all([
    getEntryRecords(page.items.map((a) => a.entryId)),
    Promise.all(page.items.map((a) => readableDocuments(a.entryId, false))),
  ]);
  const entries = new Map(records.map((e) => [e.entryId, e]));
  const items = page.items.map((a, k) => {
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
      // The solver's clean originals; `href` opens one (recorded) through a five-minute link.
      documents: documents[k]!.map((d) => ({
        documentId: d.documentId,
        type: d.type,
        fileName: d.fileName,
        size: d.actualSize ?? d.size,
        ...(d.pages ? { pages: d.pages } : {}),
        href: `/needs/${params.needId}/answers/${a.entryId}/documents/${d.documentId}`,
      })),
    };
  });
  return { body: { items, nextCursor: page.cursor } };
});
