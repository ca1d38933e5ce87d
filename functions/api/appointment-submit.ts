import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { langOf, linkStatus, openAppointmentLink } from '../lib/award-links.ts';
import { sendClaimedSuccess } from '../lib/task-callback.ts';
import { awardRoutes } from '../routes/awards.ts';
import { renderAwardLinkError } from '../../shared/awards/pages.ts';
import { conflict } from '../../shared/errors.ts';
import { claimAppointmentCallback, updateProject } from '../store/projects.ts';

/** The appointee's answer, recorded once; it resumes the hand-off workflow. */
export const handler = api(awardRoutes.postAppointment, async ({ params, body, event }) => {
  const lang = langOf(body.lang);
  const at = now();
  const link = await openAppointmentLink(params.token, at);
  if (!link.ok) return { status: linkStatus(link.code), html: renderAwardLinkError(link.code, lang) };
  const accepted = body.action === 'accept';
  const reason = body.reason?.trim();
  await updateProject(link.project.projectId, (p) => {
    if (p.appointment.answer?.accepted === accepted) return undefined;
    if (p.appointment.answer || p.status !== 'PENDING_APPOINTMENT') throw conflict('ALREADY_ANSWERED', 'The appointment was already answered or has ended');
    return { ...p, appointment: { ...p.appointment, answer: { accepted, at: at.toISOString(), ...(reason ? { reason } : {}) } } };
  });
  const claim = await claimAppointmentCallback(link.project.projectId);
  if (claim) await sendClaimedSuccess(claim.token, { accepted: claim.accepted, reason: claim.reason }, { projectId: link.project.projectId });
  return { status: 303, html: '', headers: { location: `${event.rawPath}?lang=${lang}&saved=${accepted ? 'accepted' : 'declined'}` } };
});
