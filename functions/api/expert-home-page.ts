import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { expertHomeModel } from '../services/expert-home.ts';
import { expertHomeLinks, linkFailurePage, openLink } from '../services/signed-links.ts';
import { renderExpertHome } from '../../shared/review/expert-home.ts';

/** GET shows the expert's round and changes nothing: mail scanners prefetch links. */
export const handler = api(reviewRoutes.getExpertHome, async ({ params, query, event }) => {
  const link = await openLink(expertHomeLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  return { html: renderExpertHome(await expertHomeModel(link, event.rawPath, { saved: query.saved })) };
});
