import { conflict } from '../../shared/errors.ts';
import { documentRoutes } from '../routes/documents.ts';
import { api } from '../runtime/http.ts';
import { requireDocument } from '../services/document-access.ts';
import { downloadUrl } from '../services/document-storage.ts';
import { loadOwnedEntry } from '../services/entry-access.ts';

/** The applicant's own file, once the scan found it clean: a redirect to a five-minute presigned GET. */
export const handler = api(documentRoutes.downloadDocument, async ({ params, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  const d = await requireDocument(entry.entryId, params.documentId);
  if (d.status !== 'CLEAN')
    throw conflict('DOCUMENT_NOT_CLEAN', `The document is ${d.status}; only clean documents can be downloaded`);
  const location = await downloadUrl(d);
  return { status: 303, headers: { location }, body: { location } };
});
