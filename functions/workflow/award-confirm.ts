import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { queueNotice } from '../services/notifications.ts';
import { slug } from '../../shared/ids.ts';
import { requireCompetition } from '../store/competitions.ts';
import { updateAwards, type SponsorConfirmation } from '../store/awards.ts';
import { outboxMessageKey } from '../store/outbox.ts';

const input = z.object({ competitionId: slug });

/**
 * After approval: every challenge track (揭榜挂帅) whose sponsor must confirm
 * and that has a tier winner gets a confirmation request — a signed link to
 * the sponsor's contact, expiring with the confirmation window. Returns how
 * many are pending and how long the workflow waits for them.
 */
export const handler = task(input, async ({ competitionId }) => {
  const competition = await requireCompetition(competitionId);
  const at = now();
  const hours = competition.awardPlan.sponsorConfirmationHours;
  const closesAt = new Date(at.getTime() + hours * 3600_000).toISOString();
  const { after } = await updateAwards(competitionId, (current) => {
    if (current.status !== 'PROPOSED') return undefined; // a replay: already asked
    const confirmations: SponsorConfirmation[] = competition.tracks.flatMap((t) => {
      if (t.kind !== 'CHALLENGE' || !t.sponsorConfirmsWinner) return [];
      const entryIds = current.proposal.awards
        .filter((a) => a.kind === 'TIER' && a.trackId === t.trackId)
        .map((a) => a.entryId);
      if (!entryIds.length) return [];
      return [
        {
          trackId: t.trackId,
          sponsor: t.sponsor.organizationName,
          ...(t.sponsor.contactEmail ? { contactEmail: t.sponsor.contactEmail } : {}),
          entryIds,
          status: 'PENDING' as const,
          linkVersion: 1,
        },
      ];
    });
    return {
      ...current,
      status: 'CONFIRMING',
      confirmations,
      confirmationClosesAt: closesAt,
      history: [
        ...current.history,
        {
          at: at.toISOString(),
          by: 'award-workflow',
          action: 'SPONSOR_CONFIRMATION_REQUESTED',
          detail: confirmations.map((c) => c.trackId).join(', ') || 'none needed',
        },
      ],
    };
  });
  const deadline = after.confirmationClosesAt ?? closesAt;
  for (const c of after.confirmations.filter((x) => x.status === 'PENDING' && x.contactEmail)) {
    const track = competition.tracks.find((t) => t.trackId === c.trackId)!;
    await queueNotice({
      kind: 'SPONSOR_CONFIRMATION',
      messageKey: outboxMessageKey.sponsor(c.trackId),
      to: c.contactEmail!,
      language: 'zh',
      competitionId,
      stage: 'awards',
      closesAt: deadline,
      details: [
        `${track.name.zh}（${track.name.en ?? track.trackId}）`,
        ...c.entryIds.map((id) => {
          const tier = competition.awardPlan.tiers.find(
            (t) => t.tierId === after.proposal.awards.find((a) => a.entryId === id && a.kind === 'TIER')?.awardId,
          );
          return `${tier?.name.zh ?? ''}：${after.entries[id]?.title ?? id}（${after.entries[id]?.organizationName ?? ''}）`;
        }),
      ],
      link: { purpose: 'sponsor-confirmation', subject: `${competitionId}#${c.trackId}`, version: c.linkVersion },
      at,
    });
  }
  const pending = after.confirmations.filter((c) => c.status === 'PENDING').length;
  return { pending, timeoutSeconds: Math.max(1, Math.ceil((Date.parse(deadline) - at.getTime()) / 1000)) };
});
