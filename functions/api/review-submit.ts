import { isAppError, type FieldIssue } from '../../shared/errors.ts';
import { parseReviewForm } from '../../shared/review/review-form.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { logger } from '../runtime/logger.ts';
import { reviewRoutes } from '../routes/reviews.ts';
import { resumeIfReady } from '../services/callbacks.ts';
import { reviewPage } from '../services/link-pages.ts';
import { reviewLinks, linkFailurePage, openLink, requestedLanguage } from '../services/signed-links.ts';
import { declareConflict, saveDraft, submitReview } from '../store/reviews.ts';
import { reviewWait } from '../store/rounds.ts';
import { recordMetric } from '../runtime/metrics.ts';

/**
 * POST saves (draft, submit or change, declare a conflict) and answers 303 to the
 * page (post/redirect/get); invalid answers re-render the form with the errors.
 */
export const handler = api(reviewRoutes.postReview, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(reviewLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const { assignment: a, competition, round, lang } = link;
  const page = (status: number, errors: FieldIssue[]) => {
    const scores = Object.fromEntries(
      competition.rubric.criteria.map((c) => [c.criterionId, body[`score.${c.criterionId}`] ?? '']),
    );
    return { status, html: reviewPage(link, event.rawPath, { values: { scores, comment: body.comment }, errors }) };
  };
  if (link.frozen) {
    const message = 'this round has been tallied: its reviews are final';
    return page(409, [{ path: 'round', message, code: 'ROUND_FROZEN' }]);
  }
  if (!link.open) return page(409, [{ path: 'round', message: 'the review window is closed', code: 'closed' }]);
  const resumeRound = () =>
    resumeIfReady(reviewWait(a.competitionId, a.roundId), { competitionId: a.competitionId, roundId: a.roundId });

  try {
    const form = parseReviewForm(body, competition, round);
    let saved: 'saved' | 'submitted' | 'declined';
    if (form.action === 'draft') {
      await saveDraft(a.assignmentId, a.linkVersion, form.scores, form.comment, at);
      saved = 'saved';
    } else if (form.action === 'conflict') {
      // If every other review is already in, this declaration completes the round.
      const declared = await declareConflict(a.assignmentId, a.linkVersion, form.conflictReason!, at);
      if (declared.counted) recordMetric('ReviewsDeclined', { competitionId: a.competitionId, roundId: a.roundId });
      if (declared.completedRound) await resumeRound();
      saved = 'declined';
    } else {
      const r = await submitReview(a.assignmentId, a.linkVersion, form.scores, form.comment, at);
      if (r.counted) recordMetric('ReviewsSubmitted', { competitionId: a.competitionId, roundId: a.roundId });
      // The review that completes the round resumes the workflow's wait step (once; see services/callbacks).
      if (r.completedRound) {
        logger.info('all reviews of the round are in', { competitionId: a.competitionId, roundId: a.roundId });
        await resumeRound();
      }
      saved = 'submitted';
    }
    return { status: 303, html: '', headers: { location: `${event.rawPath}?saved=${saved}&lang=${lang}` } };
  } catch (e) {
    if (isAppError(e) && e.status === 422) return page(422, (e.details as { issues: FieldIssue[] }).issues);
    if (isAppError(e) && e.code === 'LINK_REVOKED')
      return linkFailurePage({ purpose: 'review', code: 'LINK_REVOKED', lang });
    if (isAppError(e) && e.status === 409) return page(409, [{ path: 'review', message: e.message, code: e.code }]);
    throw e;
  }
});
