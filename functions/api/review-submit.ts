import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { logger } from '../lib/logger.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { isAppError, type FieldIssue } from '../../shared/errors.ts';
import { renderLinkError } from '../../shared/review/page.ts';
import { parseReviewForm } from '../../shared/review/review-form.ts';
import { declareConflict, saveDraft, submitReview } from '../store/reviews.ts';
import { linkErrorStatus, openReviewLink, reviewPage } from '../lib/review-link.ts';
import { resumeRoundIfComplete } from '../lib/review-callback.ts';

/**
 * POST saves (draft, submit or change, declare a conflict) and answers 303 to the
 * page (post/redirect/get); invalid answers re-render the form with the errors.
 */
export const handler = api(reviewRoutes.postReview, async ({ params, body, event }) => {
  const at = now();
  const requested = body.lang === 'en' || body.lang === 'zh' ? body.lang : undefined;
  const link = await openReviewLink(params.token, at, requested);
  if (!link.ok) return { status: linkErrorStatus(link.code), html: renderLinkError(link.code, link.lang) };
  const { assignment: a, competition, round, lang } = link;
  const page = (status: number, errors: FieldIssue[]) => ({
    status,
    html: reviewPage(link, event.rawPath, {
      values: { scores: Object.fromEntries(competition.rubric.criteria.map((c) => [c.criterionId, body[`score.${c.criterionId}`] ?? ''])), comment: body.comment },
      errors,
    }),
  });
  if (!link.open) return page(409, [{ path: 'round', message: 'the review window is closed', code: 'closed' }]);

  try {
    const form = parseReviewForm(body, competition, round);
    let saved: 'saved' | 'submitted' | 'declined';
    if (form.action === 'draft') {
      await saveDraft(a.assignmentId, a.linkVersion, form.scores, form.comment, at);
      saved = 'saved';
    } else if (form.action === 'conflict') {
      // If every other review is already in, this declaration completes the round.
      if ((await declareConflict(a.assignmentId, a.linkVersion, form.conflictReason!, at)).completedRound) await resumeRoundIfComplete(a.competitionId, a.roundId);
      saved = 'declined';
    } else {
      const r = await submitReview(a.assignmentId, a.linkVersion, form.scores, form.comment, at);
      // The review that completes the round resumes the workflow's wait step (once; see review-callback).
      if (r.completedRound) {
        logger.info('all reviews of the round are in', { competitionId: a.competitionId, roundId: a.roundId });
        await resumeRoundIfComplete(a.competitionId, a.roundId);
      }
      saved = 'submitted';
    }
    return { status: 303, html: '', headers: { location: `${event.rawPath}?saved=${saved}&lang=${lang}` } };
  } catch (e) {
    if (isAppError(e) && e.status === 422) return page(422, (e.details as { issues: FieldIssue[] }).issues);
    if (isAppError(e) && e.code === 'LINK_REVOKED') return { status: 410, html: renderLinkError('LINK_REVOKED', lang) };
    if (isAppError(e) && e.status === 409) return page(409, [{ path: 'review', message: e.message, code: e.code }]);
    throw e;
  }
});
