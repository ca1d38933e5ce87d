import { conflict } from '../../shared/errors.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { resumeIfReady } from '../services/callbacks.ts';
import { appointmentLinks, linkFailurePage, openLink, requestedLanguage } from '../services/signed-links.ts';
import { queueWorkspaceLink } from '../services/notifications.ts';
import { appointmentWait, updateProject } from '../store/projects.ts';
import { recordMetric } from '../runtime/metrics.ts';

/** The appointee's answer, recorded once; it resumes the hand-off workflow. */
export const handler = api(awardRoutes.postAppointment, async ({ params, body, event }) => {
  const at = now();
  const link = await openLink(appointmentLinks, params.token, at, requestedLanguage(body.lang));
  if (!link.ok) return linkFailurePage(link);
  const accepted = body.action === 'accept';
  const reason = body.reason?.trim();
  const { projectId } = link.project;
  const { after, written } = await updateProject(projectId, (p) => {
    if (p.appointment.answer?.accepted === accepted) return undefined;
    if (p.appointment.answer || p.status !== 'PENDING_APPOINTMENT') {
      throw conflict('ALREADY_ANSWERED', 'The appointment was already answered or has ended');
    }
    const answer = { accepted, at: at.toISOString(), ...(reason ? { reason } : {}) };
    return { ...p, appointment: { ...p.appointment, answer } };
  });
  if (written)
    recordMetric(accepted ? 'AppointmentsAccepted' : 'AppointmentsDeclined', { competitionId: after.competitionId });
  // The manager's workspace link, mailed once (the appointment link ends with the answer's deadline).
  if (accepted && after.appointment.answer?.accepted) await queueWorkspaceLink(after, link.lang, at);
  await resumeIfReady(appointmentWait(projectId), { projectId });
  const saved = accepted ? 'accepted' : 'declined';
  return { status: 303, html: '', headers: { location: `${event.rawPath}?lang=${link.lang}&saved=${saved}` } };
});
