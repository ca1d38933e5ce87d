import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { reviewPage } from '../services/link-pages.ts';
import { reviewLinks, linkFailurePage, openLink } from '../services/signed-links.ts';

/** GET shows the page and changes nothing: mail scanners prefetch links. */
export const handler = api(reviewRoutes.getReviewPage, async ({ params, query, event }) => {
  const link = await openLink(reviewLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  const a = link.assignment;
  const values =
    a.status === 'SUBMITTED'
      ? { scores: a.scores ?? {}, comment: a.comment }
      : { scores: a.draft?.scores ?? {}, comment: a.draft?.comment };
  return {
    html: reviewPage(link, event.rawPath, { values, status: a.status === 'DECLINED' ? 'declined' : query.saved }),
  };
});
