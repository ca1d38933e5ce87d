import { documentRoutes } from '../routes/documents.ts';
import { api } from '../runtime/http.ts';
import { documentView } from '../services/document-access.ts';
import { loadOwnedEntry } from '../services/entry-access.ts';
import { listDocuments } from '../store/documents.ts';

export const handler = api(documentRoutes.listDocuments, async ({ params, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  return { body: { documents: (await listDocuments(entry.entryId)).map(documentView) } };
});
