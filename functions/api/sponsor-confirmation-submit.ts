import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { langOf, linkStatus, openSponsorLink } from '../lib/award-links.ts';
import { sendClaimedSuccess } from '../lib/task-callback.ts';
import { awardRoutes } from '../routes/awards.ts';
import { renderAwardLinkError } from '../../shared/awards/pages.ts';
import { conflict, validationError } from '../../shared/errors.ts';
import { claimSponsorCallback, updateAwards } from '../store/awards.ts';

/**
 * The sponsor's answer, recorded once (the same answer again changes nothing;
 * a different one after answering is refused); the last answer resumes the
 * award workflow's wait.
 */
export const handler = api(awardRoutes.postSponsorConfirmation, async ({ params, body, event }) => {
  const lang = langOf(body.lang);
  const at = now();
  const link = await openSponsorLink(params.token, at);
  if (!link.ok) return { status: linkStatus(link.code), html: renderAwardLinkError(link.code, lang) };
  const reason = body.reason?.trim();
  if (body.action === 'decline' && !reason) throw validationError('Please give the reason', [{ path: 'reason', message: 'required when declining', code: 'required' }]);
  const status = body.action === 'confirm' ? 'CONFIRMED' : 'DECLINED';
  const trackId = link.confirmation.trackId;
  await updateAwards(link.awards.competitionId, (current) => {
    const c = current.confirmations.find((x) => x.trackId === trackId)!;
    if (c.status === status) return undefined;
    if (c.status !== 'PENDING') throw conflict('ALREADY_ANSWERED', `This confirmation was already answered (${c.status})`);
    const by = `sponsor:${c.contactEmail ?? c.sponsor}`;
    return {
      ...current,
      confirmations: current.confirmations.map((x) => (x.trackId === trackId ? { ...x, status, answeredAt: at.toISOString(), by, ...(reason ? { reason } : {}) } : x)),
      history: [...current.history, { at: at.toISOString(), by, action: `SPONSOR_${status}`, ...(reason ? { reason } : {}), detail: trackId }],
    };
  });
  const token = await claimSponsorCallback(link.awards.competitionId);
  if (token) await sendClaimedSuccess(token, { allAnswered: true }, { competitionId: link.awards.competitionId });
  return { status: 303, html: '', headers: { location: `${event.rawPath}?lang=${lang}&saved=${status === 'CONFIRMED' ? 'confirmed' : 'declined'}` } };
});
