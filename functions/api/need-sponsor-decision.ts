import { meetingOutcomeBody, meetingProposalBody, meetingStep } from '../../shared/matching.ts';
import { proposalFromForm } from '../../shared/needs-page.ts';
import { validationError, zodIssues } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { needSponsorRoutes } from '../routes/need-sponsor.ts';
import { decideAnswer, notFoundAs, proposeMeeting } from '../services/matching.ts';
import { updateMeeting } from '../store/matching.ts';
import { linkFailurePage, needSponsorLinks, openLink, requestedLanguage } from '../services/signed-links.ts';

/**
 * 入围 and 对接 from the sponsor's page: the same decision and the same meeting proposal as the API's
 * (same checks, same field paths), then back to the page.
 */
export const handler = api(needSponsorRoutes.postNeedSponsorDecision, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(needSponsorLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const back = { status: 303, html: '', headers: { location: `${event.rawPath}?lang=${link.lang}&saved=1` } };
  if (body.action === 'meeting') {
    if (!body.meetingId)
      throw validationError('The form lacks its meeting id; reload the page', [
        { path: 'meetingId', message: 'required', code: 'required' },
      ]);
    const proposal = meetingProposalBody.safeParse(proposalFromForm(body));
    if (!proposal.success) throw validationError('The meeting proposal is invalid', zodIssues(proposal.error));
    await proposeMeeting(link.need, body.entryId, proposal.data, at, body.meetingId);
    return back;
  }
  if (body.action === 'outcome') {
    const outcome = meetingOutcomeBody.safeParse({
      outcome: body.outcome,
      ...(body.notes?.trim() ? { notes: body.notes.trim() } : {}),
    });
    if (!outcome.success) throw validationError('The meeting outcome is invalid', zodIssues(outcome.error));
    if (!body.meetingId)
      throw validationError('The form lacks its meeting id', [
        { path: 'meetingId', message: 'required', code: 'required' },
      ]);
    await updateMeeting(link.need.needId, body.entryId, body.meetingId, (m) =>
      meetingStep(m, 'SPONSOR', outcome.data.outcome, at, outcome.data.notes),
    ).catch(notFoundAs('Meeting'));
    return back;
  }
  const reason = body.reason?.trim();
  if (body.action === 'decline' && !reason)
    throw validationError('Please give the reason', [
      { path: 'reason', message: 'required when declining', code: 'required' },
    ]);
  const action = body.action === 'shortlist' ? ('SHORTLIST' as const) : ('DECLINE' as const);
  await decideAnswer(link.need.needId, body.entryId, { action, ...(reason ? { reason } : {}) }, at);
  return back;
});
