import { renderAppointmentPage } from '../../shared/awards/pages.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { appointmentLinks, linkFailurePage, mintLinkPath, openLink } from '../services/signed-links.ts';
import { workspaceLinkOf } from '../../shared/funding/workspace.ts';

/** GET shows the appointment and changes nothing. */
export const handler = api(awardRoutes.getAppointment, async ({ params, query, event }) => {
  const link = await openLink(appointmentLinks, params.token, now(), query.lang);
  if (!link.ok) return linkFailurePage(link);
  const { project: p, competition } = link;
  const tier = competition.awardPlan.tiers.find((t) => t.tierId === p.awardId);
  const workspace = workspaceLinkOf(p);
  return {
    html: renderAppointmentPage({
      lang: link.lang,
      action: event.rawPath,
      competitionTitle: competition.title,
      projectTitle: p.title,
      awardName: tier?.name ?? { zh: p.awardId },
      managerName: p.manager.name,
      termMonths: p.appointment.termMonths,
      responsibilities: p.appointment.responsibilities,
      requestedAmount: p.requestedAmount,
      currency: p.currency,
      milestones: p.milestones.map((m) => ({ title: m.title, trancheAmount: m.trancheAmount })),
      expiresAt: p.appointment.expiresAt,
      ...(p.appointment.answer ? { answer: p.appointment.answer } : {}),
      // Once accepted, the page hands the manager their workspace: a link valid for the whole term.
      ...(p.appointment.answer?.accepted
        ? {
            workspaceHref: await mintLinkPath('project-manager', p.projectId, workspace.version, workspace.expiresAt),
          }
        : {}),
    }),
  };
});
