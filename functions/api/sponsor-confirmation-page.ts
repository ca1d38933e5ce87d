import { renderSponsorPage } from '../../shared/awards/pages.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { winnersDocuments } from '../services/document-access.ts';
import { sponsorPageModel } from '../services/link-pages.ts';
import { sponsorConfirmationLinks, linkFailurePage, openLink } from '../services/signed-links.ts';

/** GET shows the winners to confirm, with their solutions' documents, and changes nothing. */
export const handler = api(awardRoutes.getSponsorConfirmation, async ({ params, query, event }) => {
  const link = await openLink(sponsorConfirmationLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  const documents = await winnersDocuments(link.confirmation.entryIds);
  return { html: renderSponsorPage(sponsorPageModel(link, link.lang, event.rawPath, documents)) };
});
