import { awardRoutes } from '../routes/awards.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { notFound } from '../../shared/errors.ts';
import { winnersDocuments } from '../services/document-access.ts';
import { downloadUrl } from '../services/document-storage.ts';
import { linkFailurePage, openLink, sponsorConfirmationLinks } from '../services/signed-links.ts';
import { recordDocumentAccess } from '../store/documents.ts';

/**
 * A sponsor opens a document of one of the winners its link names (揭榜挂帅): only while the link is
 * valid, only a document its page lists. Each opening is recorded; the answer is a redirect to a
 * five-minute presigned GET.
 */
export const handler = api(awardRoutes.getSponsorDocument, async ({ params }) => {
  const at = now();
  const link = await openLink(sponsorConfirmationLinks, params.token, at, undefined);
  if (!link.ok) return linkFailurePage(link);
  const { confirmation } = link;
  const documents = await winnersDocuments(confirmation.entryIds);
  const found = [...documents].flatMap(([entryId, docs]) =>
    docs.filter((d) => d.documentId === params.documentId).map((d) => ({ entryId, d })),
  )[0];
  if (!found) throw notFound('Document');
  await recordDocumentAccess(found.entryId, {
    documentId: found.d.documentId,
    reader: 'SPONSOR',
    trackId: confirmation.trackId,
    sponsorName: confirmation.sponsor,
    ...(confirmation.contactEmail ? { sponsorEmail: confirmation.contactEmail } : {}),
    at: at.toISOString(),
  });
  const location = await downloadUrl(found.d);
  return { status: 303, headers: { location }, body: { location } };
});
