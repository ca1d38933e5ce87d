import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { needSponsorRoutes } from '../routes/need-sponsor.ts';
import { openAnswerDocument } from '../services/matching.ts';
import { linkFailurePage, needSponsorLinks, openLink } from '../services/signed-links.ts';

/** The sponsor opens a document of an answer to its need through its link: recorded, five-minute GET. */
export const handler = api(needSponsorRoutes.getNeedSponsorDocument, async ({ params }) => {
  const at = now();
  const link = await openLink(needSponsorLinks, params.token, at, undefined);
  if (!link.ok) return linkFailurePage(link);
  const location = await openAnswerDocument(link.need, params.entryId, params.documentId, at);
  return { status: 303, headers: { location }, body: { location } };
});
