import { notFound } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { needSponsorRoutes } from '../routes/need-sponsor.ts';
import { readableDocuments } from '../services/document-access.ts';
import { downloadUrl } from '../services/document-storage.ts';
import { linkFailurePage, needSponsorLinks, openLink } from '../services/signed-links.ts';
import { recordDocumentAccess } from '../store/documents.ts';
import { getAnswer } from '../store/matching.ts';

/** The sponsor opens a document of an answer to its need through its link: recorded, five-minute GET. */
export const handler = api(needSponsorRoutes.getNeedSponsorDocument, async ({ params }) => {
  const at = now();
  const link = await openLink(needSponsorLinks, params.token, at, undefined);
  if (!link.ok) return linkFailurePage(link);
  const { need } = link;
  if (!(await getAnswer(need.needId, params.entryId))) throw notFound('Document');
  const document = (await readableDocuments(params.entryId, false)).find((d) => d.documentId === params.documentId);
  if (!document) throw notFound('Document');
  await recordDocumentAccess(params.entryId, {
    documentId: document.documentId,
    reader: 'NEED_SPONSOR',
    needId: need.needId,
    sponsorName: need.sponsor.name,
    at: at.toISOString(),
  });
  const location = await downloadUrl(document);
  return { status: 303, headers: { location }, body: { location } };
});
