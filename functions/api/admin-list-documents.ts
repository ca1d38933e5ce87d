import { documentRoutes } from '../routes/documents.ts';
import { api } from '../runtime/http.ts';
import { notFound } from '../../shared/errors.ts';
import { documentView } from '../services/document-access.ts';
import { getEntryRecord } from '../store/entries.ts';
import { listDocumentAccessesPage, listDocuments } from '../store/documents.ts';

/** For organizers: every document of an entry, and a page of the times someone opened one. */
export const handler = api(documentRoutes.adminListDocuments, async ({ params, query }) => {
  if (!(await getEntryRecord(params.entryId))) throw notFound('Entry');
  const [documents, accesses] = await Promise.all([
    listDocuments(params.entryId),
    listDocumentAccessesPage(params.entryId, query.limit, query.cursor),
  ]);
  return {
    body: { documents: documents.map(documentView), accesses: accesses.items, nextCursor: accesses.cursor ?? null },
  };
});
