import { notFound } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { readableDocuments } from '../services/document-access.ts';
import { downloadUrl } from '../services/document-storage.ts';
import { loadSponsorNeed } from '../services/needs.ts';
import { recordDocumentAccess } from '../store/documents.ts';
import { getAnswer } from '../store/matching.ts';

/**
 * 揭榜: the sponsor reads a solver's document — only of an answer to its own need, only a clean current
 * original. Each opening is recorded (the organizer sees who opened what, and when).
 */
export const handler = api(matchingRoutes.getAnswerDocument, async ({ params, headers }) => {
  const need = await loadSponsorNeed(params.needId, headers);
  if (!(await getAnswer(params.needId, params.entryId))) throw notFound('Document');
  const document = (await readableDocuments(params.entryId, false)).find((d) => d.documentId === params.documentId);
  if (!document) throw notFound('Document');
  await recordDocumentAccess(params.entryId, {
    documentId: document.documentId,
    reader: 'NEED_SPONSOR',
    needId: need.needId,
    sponsorName: need.sponsor.name,
    at: now().toISOString(),
  });
  const location = await downloadUrl(document);
  return { status: 303, headers: { location }, body: { location } };
});
