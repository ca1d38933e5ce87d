import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { renderLinkError, renderReviewPage } from '../../shared/review/page.ts';
import { reviewerView } from '../../shared/review/review-form.ts';
import { linkErrorStatus, openReviewLink } from '../lib/review-link.ts';

/** GET shows the page and changes nothing: mail scanners prefetch links. */
export const handler = api(reviewRoutes.getReviewPage, async ({ params, query, event }) => {
  const link = await openReviewLink(params.token, now(), query.lang);
  if (!link.ok) return { status: linkErrorStatus(link.code), html: renderLinkError(link.code, link.lang) };
  const { assignment: a, entry, competition, round, lang } = link;
  const values = a.status === 'SUBMITTED' ? { scores: a.scores ?? {}, comment: a.comment } : { scores: a.draft?.scores ?? {}, comment: a.draft?.comment };
  return {
    html: renderReviewPage({
      lang,
      action: event.rawPath,
      competitionTitle: competition.title,
      roundName: round.name,
      blind: round.blind,
      closesAt: round.reviewClosesAt,
      open: link.open,
      entry: reviewerView(entry, round.blind),
      criteria: competition.rubric.criteria,
      values,
      status: a.status === 'DECLINED' ? 'declined' : query.saved,
    }),
  };
});
