import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { langOf, linkStatus, openSponsorLink, sponsorPageModel } from '../lib/award-links.ts';
import { awardRoutes } from '../routes/awards.ts';
import { renderAwardLinkError, renderSponsorPage } from '../../shared/awards/pages.ts';

/** GET shows the winners to confirm and changes nothing. */
export const handler = api(awardRoutes.getSponsorConfirmation, async ({ params, query, event }) => {
  const lang = langOf(query.lang);
  const link = await openSponsorLink(params.token, now());
  if (!link.ok) return { status: linkStatus(link.code), html: renderAwardLinkError(link.code, lang) };
  return { html: renderSponsorPage(sponsorPageModel(link.competition, link.awards, link.confirmation, lang, event.rawPath)) };
});
