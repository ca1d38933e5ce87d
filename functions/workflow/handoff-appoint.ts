import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { queueNotice } from '../services/notifications.ts';
import { slug } from '../../shared/ids.ts';
import { conflict } from '../../shared/errors.ts';
import { splitTranches } from '../../shared/funding/project.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getEntryRecord } from '../store/entries.ts';
import { createProject, projectIdOf } from '../store/projects.ts';
import { outboxMessageKey } from '../store/outbox.ts';

const input = z.object({ competitionId: slug, entryId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/), awardId: slug });

/**
 * Step 1 of a winner's hand-off (项目经理聘任): the project record, pending the
 * appointment, with the requested grant split into milestone tranches and the
 * grant-then-equity terms; and the appointment — project, term,
 * responsibilities — sent to the entry's lead as a signed link.
 */
export const handler = task(input, async ({ competitionId, entryId, awardId }) => {
  const competition = await requireCompetition(competitionId);
  const entry = await getEntryRecord(entryId);
  if (!entry || entry.competitionId !== competitionId)
    throw conflict('ENTRY_NOT_FOUND', `Entry ${entryId} is not in ${competitionId}`);
  const tier = competition.awardPlan.tiers.find((t) => t.tierId === awardId);
  if (!tier?.funded || !tier.grant)
    throw conflict('NOT_A_FUNDED_AWARD', `"${awardId}" is not a funded tier with a grant`);
  const funding = competition.awardPlan.funding;
  const at = now();
  const expiresAt = new Date(at.getTime() + funding.appointmentHours * 3600_000).toISOString();
  const tranches = splitTranches(
    tier.grant.amount,
    funding.milestones.map((m) => m.percent),
  );
  const c = funding.conversion;
  const { item: project } = await createProject({
    projectId: projectIdOf(entryId),
    competitionId,
    entryId,
    trackId: entry.trackId,
    awardId,
    manager: { name: entry.applicant.lead.name, email: entry.applicant.lead.email },
    title: entry.title,
    status: 'PENDING_APPOINTMENT',
    currency: tier.grant.currency,
    requestedAmount: tier.grant.amount,
    disbursed: '0.00',
    terms: {
      converts: c.converts,
      ...(c.discountPercent ? { discountPercent: c.discountPercent } : {}),
      ...(c.valuationCap ? { valuationCap: c.valuationCap.amount, capBasis: c.capBasis } : {}),
      ...(c.qualifyingRoundSize ? { qualifyingRoundSize: c.qualifyingRoundSize.amount } : {}),
    },
    milestones: funding.milestones.map((m, k) => ({
      milestoneId: m.milestoneId,
      title: m.title.zh,
      trancheAmount: tranches[k]!,
      status: 'PLANNED' as const,
    })),
    financing: [],
    log: [
      {
        at: at.toISOString(),
        by: 'handoff-workflow',
        event: 'CREATED',
        detail: `${awardId}: requested ${tier.grant.amount} ${tier.grant.currency}`,
      },
    ],
    appointment: {
      linkVersion: 1,
      expiresAt,
      termMonths: funding.termMonths,
      responsibilities: funding.responsibilities,
    },
    version: 1,
  });
  const tierName = tier.name.zh;
  await queueNotice({
    kind: 'APPOINTMENT',
    messageKey: outboxMessageKey.appointment(project.projectId),
    to: project.manager.email,
    language: 'zh',
    competitionId,
    stage: 'handoff',
    closesAt: project.appointment.expiresAt,
    details: [
      `${project.title}（${tierName}）`,
      `任期 ${project.appointment.termMonths} 个月；申请资助 ${project.requestedAmount} ${project.currency}`,
      project.appointment.responsibilities.zh,
    ],
    link: { purpose: 'appointment', subject: project.projectId, version: project.appointment.linkVersion },
    at,
  });
  return {
    projectId: project.projectId,
    timeoutSeconds: Math.max(1, Math.ceil((Date.parse(project.appointment.expiresAt) - at.getTime()) / 1000)),
  };
});
