import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { reviewPage } from '../services/link-pages.ts';
import { reviewLinks, linkFailurePage, openLink } from '../services/signed-links.ts';
import { readableDocuments } from '../services/document-access.ts';

/** GET shows the page and changes nothing: mail scanners prefetch links. */
export const handler = api(reviewRoutes.getReviewPage, async ({ params, query, event }) => {
  const link = await openLink(reviewLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  const a = link.assignment;
  const values =
    a.status === 'SUBMITTED'
      ? { scores: a.scores ?? {}, comment: a.comment }
      : { scores: a.draft?.scores ?? {}, comment: a.draft?.comment };
  // In a blind round only anonymized copies are listed, without their file names.
  const blind = link.round.blind;
  const files = (await readableDocuments(link.entry.entryId, blind)).map((d) => ({
    type: d.type,
    ...(blind ? {} : { name: d.fileName }),
    size: d.actualSize ?? d.size,
    ...(d.pages ? { pages: d.pages } : {}),
    href: `${event.rawPath}/documents/${d.documentId}`,
  }));
  return {
    html: reviewPage(link, event.rawPath, {
      values,
      files,
      status: a.status === 'DECLINED' ? 'declined' : query.saved,
    }),
  };
});
