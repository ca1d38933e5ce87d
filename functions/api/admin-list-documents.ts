import { documentRoutes } from '../routes/documents.ts';
import { api } from '../runtime/http.ts';
import { notFound } from '../../shared/errors.ts';
import { documentView } from '../services/document-access.ts';
import { getEntryRecord } from '../store/entries.ts';
import { listDocumentAccesses, listDocuments } from '../store/documents.ts';

/** For organizers: every document of an entry, and every time a reviewer opened one. */
export const handler = api(documentRoutes.adminListDocuments, async ({ params }) => {
  if (!(await getEntryRecord(params.entryId))) throw notFound('Entry');
  const [documents, accesses] = await Promise.all([
    listDocuments(params.entryId),
    listDocumentAccesses(params.entryId),
  ]);
  return { body: { documents: documents.map(documentView), accesses } };
});
