import { ulid } from 'ulid';
import { assertDocumentHistoryRoom, type EntryDocument, limitBytes, uploadIssues } from '../../shared/documents.ts';
import { conflict, validationError } from '../../shared/errors.ts';
import { documentRoutes } from '../routes/documents.ts';
import { now } from '../runtime/clock.ts';
import { documentView, requireChangeableDocuments } from '../services/document-access.ts';
import { documentObjectKey, uploadForm } from '../services/document-storage.ts';
import { loadOwnedEntry } from '../services/entry-access.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { createDocument, holdsSlot, listDocuments } from '../store/documents.ts';

/**
 * An upload request: the document is recorded as AWAITING_UPLOAD and the
 * applicant gets a presigned POST for exactly this file. What the policy says
 * (key, content type, size) S3 enforces on the upload itself.
 */
export const handler = idempotentApi(documentRoutes.createDocument, async ({ params, body, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  const at = now();
  const competition = await requireChangeableDocuments(entry, at);
  const rules = competition.documents;
  const issues = uploadIssues(body, rules);
  if (issues.length) throw validationError('The document cannot be uploaded', issues);
  const all = await listDocuments(entry.entryId);
  assertDocumentHistoryRoom(all.length);
  const held = all.filter((d) => holdsSlot(d, at.getTime()));
  // A new upload of a type the entry holds replaces it once clean: it does not need a slot of its own.
  const replacing = held.some((d) => d.type === body.type && d.blind === body.blind && d.status === 'CLEAN');
  if (!replacing && held.length >= rules.maxPerEntry)
    throw conflict('DOCUMENT_LIMIT_REACHED', `An entry holds at most ${rules.maxPerEntry} documents`, {
      maxPerEntry: rules.maxPerEntry,
    });
  const documentId = ulid(at.getTime());
  const iso = at.toISOString();
  const document: EntryDocument = {
    documentId,
    entryId: entry.entryId,
    competitionId: entry.competitionId,
    type: body.type,
    fileName: body.fileName,
    contentType: body.contentType,
    size: body.size,
    blind: body.blind,
    status: 'AWAITING_UPLOAD',
    key: documentObjectKey(entry.entryId, documentId),
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
  await createDocument(document);
  // The policy allows the declared size's type limit, not the declared size: S3 refuses anything larger.
  const upload = await uploadForm(document, limitBytes(rules, body.type), at.getTime());
  return { status: 201, body: { document: documentView(document), upload } };
});
