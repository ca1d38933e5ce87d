import { reviewRoutes } from '../routes/reviews.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { AppError } from '../../shared/errors.ts';
import { readableDocuments } from '../services/document-access.ts';
import { downloadUrl } from '../services/document-storage.ts';
import { linkFailurePage, openLink, reviewLinks } from '../services/signed-links.ts';
import { recordDocumentAccess } from '../store/documents.ts';

/**
 * A reviewer opens a document of the entry their link names: only while the link is valid and the
 * round not frozen, only a document the page lists (clean, current; in a blind round an anonymized
 * copy). Each opening is recorded; the answer is a redirect to a five-minute presigned GET.
 */
export const handler = api(reviewRoutes.getReviewDocument, async ({ params }) => {
  const at = now();
  const link = await openLink(reviewLinks, params.token, at, undefined);
  if (!link.ok) return linkFailurePage(link);
  if (link.frozen) throw new AppError(409, 'ROUND_FROZEN', 'This round has been tallied; its documents are closed');
  const d = (await readableDocuments(link.entry.entryId, link.round.blind)).find(
    (x) => x.documentId === params.documentId,
  );
  if (!d) throw new AppError(404, 'NOT_FOUND', 'Document was not found');
  await recordDocumentAccess(link.entry.entryId, {
    documentId: d.documentId,
    reader: 'REVIEWER',
    assignmentId: link.assignment.assignmentId,
    expertEmail: link.assignment.expertEmail,
    roundId: link.assignment.roundId,
    at: at.toISOString(),
  });
  const location = await downloadUrl(d);
  return { status: 303, headers: { location }, body: { location } };
});
