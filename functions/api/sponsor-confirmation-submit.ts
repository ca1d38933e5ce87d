import { confirmationKey } from '../../shared/awards/sponsor-confirmation.ts';
import { conflict, validationError } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { resumeIfReady } from '../services/callbacks.ts';
import { sponsorConfirmationLinks, linkFailurePage, openLink, requestedLanguage } from '../services/signed-links.ts';
import { sponsorWait, updateAwards } from '../store/awards.ts';

/**
 * The sponsor's answer, recorded once (the same answer again changes nothing;
 * a different one after answering is refused); the last answer resumes the
 * award workflow's wait.
 */
export const handler = api(awardRoutes.postSponsorConfirmation, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(sponsorConfirmationLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const reason = body.reason?.trim();
  if (body.action === 'decline' && !reason) {
    throw validationError('Please give the reason', [
      { path: 'reason', message: 'required when declining', code: 'required' },
    ]);
  }
  const status = body.action === 'confirm' ? ('CONFIRMED' as const) : ('DECLINED' as const);
  const { competitionId } = link.awards;
  const key = confirmationKey(link.confirmation);
  await updateAwards(competitionId, (current) => {
    const c = current.confirmations.find((x) => confirmationKey(x) === key)!;
    if (c.status === status) return undefined;
    if (c.status !== 'PENDING')
      throw conflict('ALREADY_ANSWERED', `This confirmation was already answered (${c.status})`);
    const by = `sponsor:${c.contactEmail ?? c.sponsor}`;
    const answer = { status, answeredAt: at.toISOString(), by, ...(reason ? { reason } : {}) };
    return {
      ...current,
      confirmations: current.confirmations.map((x) => (confirmationKey(x) === key ? { ...x, ...answer } : x)),
      history: [
        ...current.history,
        {
          at: at.toISOString(),
          by,
          action: `SPONSOR_${status}`,
          ...(reason ? { reason } : {}),
          detail: key,
          // A need's sponsor answers for its winners only: the line names them, so the publication replays.
          ...(c.needId && status === 'DECLINED' ? { entryIds: c.entryIds } : {}),
        },
      ],
    };
  });
  await resumeIfReady(sponsorWait(competitionId), { competitionId });
  const saved = status === 'CONFIRMED' ? 'confirmed' : 'declined';
  return { status: 303, html: '', headers: { location: `${event.rawPath}?lang=${link.lang}&saved=${saved}` } };
});
