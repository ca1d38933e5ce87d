import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { renderLinkError } from '../../shared/review/page.ts';
import { linkErrorStatus, openReviewLink, reviewPage } from '../lib/review-link.ts';

/** GET shows the page and changes nothing: mail scanners prefetch links. */
export const handler = api(reviewRoutes.getReviewPage, async ({ params, query, event }) => {
  const link = await openReviewLink(params.token, now(), query.lang);
  if (!link.ok) return { status: linkErrorStatus(link.code), html: renderLinkError(link.code, link.lang) };
  const a = link.assignment;
  const values = a.status === 'SUBMITTED' ? { scores: a.scores ?? {}, comment: a.comment } : { scores: a.draft?.scores ?? {}, comment: a.draft?.comment };
  return { html: reviewPage(link, event.rawPath, { values, status: a.status === 'DECLINED' ? 'declined' : query.saved }) };
});
