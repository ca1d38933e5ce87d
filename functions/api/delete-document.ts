import { documentRoutes } from '../routes/documents.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { documentView, requireChangeableDocuments, requireDocument } from '../services/document-access.ts';
import { loadOwnedEntry } from '../services/entry-access.ts';
import { markDeleted } from '../store/documents.ts';

/** Removes a document before the deadline; deleting it again is a 409 that changes nothing. */
export const handler = api(documentRoutes.deleteDocument, async ({ params, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  const at = now();
  await requireChangeableDocuments(entry, at);
  const d = await requireDocument(entry.entryId, params.documentId);
  await markDeleted(d, at.toISOString());
  return { body: { document: documentView({ ...d, status: 'DELETED', updatedAt: at.toISOString() }) } };
});
