import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { langOf, linkStatus, openAppointmentLink } from '../lib/award-links.ts';
import { awardRoutes } from '../routes/awards.ts';
import { renderAppointmentPage, renderAwardLinkError } from '../../shared/awards/pages.ts';

/** GET shows the appointment and changes nothing. */
export const handler = api(awardRoutes.getAppointment, async ({ params, query, event }) => {
  const lang = langOf(query.lang);
  const link = await openAppointmentLink(params.token, now());
  if (!link.ok) return { status: linkStatus(link.code), html: renderAwardLinkError(link.code, lang) };
  const { project: p, competition } = link;
  const tier = competition.awardPlan.tiers.find((t) => t.tierId === p.awardId);
  return {
    html: renderAppointmentPage({
      lang,
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
    }),
  };
});
