import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { queueNotice } from '../services/notifications.ts';
import { slug } from '../../shared/ids.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getAwards, updateAwards, type SponsorConfirmation } from '../store/awards.ts';
import { getNeed } from '../store/needs.ts';
import { confirmationKey } from '../../shared/awards/sponsor-confirmation.ts';
import { outboxMessageKey } from '../store/outbox.ts';

const input = z.object({ competitionId: slug });

/** The needs the proposal's tier winners answered (揭榜), read before the awards item is changed. */
const needsOfWinners = async (competitionId: string) => {
  const awards = await getAwards(competitionId);
  const ids = new Set(
    (awards?.proposal.awards ?? []).flatMap((a) => {
      const needId = a.kind === 'TIER' ? awards?.entries[a.entryId]?.needId : undefined;
      return needId ? [needId] : [];
    }),
  );
  const needs = await Promise.all([...ids].map((id) => getNeed(id)));
  return new Map(needs.flatMap((n) => (n ? [[n.needId, n] as const] : [])));
};

/**
 * After approval: every challenge track (揭榜挂帅) whose sponsor must confirm
 * and that has a tier winner gets a confirmation request, and so does the
 * sponsor of every need a tier winner answered — a signed link to the
 * sponsor's contact, expiring with the confirmation window. Returns how
 * many are pending and how long the workflow waits for them.
 */
export const handler = task(input, async ({ competitionId }) => {
  const competition = await requireCompetition(competitionId);
  const needs = await needsOfWinners(competitionId);
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
    // 揭榜挂帅 for enterprise needs: each need's sponsor confirms the winners among its answers (a
    // winner already confirmed by its challenge track's sponsor is not asked about twice).
    const asked = new Set(confirmations.flatMap((c) => c.entryIds));
    const byNeed = new Map<string, { trackId: string; entryIds: string[] }>();
    for (const a of current.proposal.awards) {
      const needId = current.entries[a.entryId]?.needId;
      if (a.kind !== 'TIER' || !needId || asked.has(a.entryId) || !needs.has(needId)) continue;
      const group = byNeed.get(needId) ?? { trackId: a.trackId, entryIds: [] };
      if (!group.entryIds.includes(a.entryId)) group.entryIds.push(a.entryId);
      byNeed.set(needId, group);
    }
    for (const [needId, group] of byNeed) {
      const need = needs.get(needId)!;
      confirmations.push({
        trackId: group.trackId,
        needId,
        need: { title: need.title, description: need.description },
        sponsor: need.sponsor.name,
        contactEmail: need.contact.email,
        entryIds: group.entryIds,
        status: 'PENDING' as const,
        linkVersion: 1,
      });
    }
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
          detail: confirmations.map(confirmationKey).join(', ') || 'none needed',
        },
      ],
    };
  });
  const deadline = after.confirmationClosesAt ?? closesAt;
  for (const c of after.confirmations.filter((x) => x.status === 'PENDING' && x.contactEmail)) {
    const name = c.need?.title ?? competition.tracks.find((t) => t.trackId === c.trackId)!.name;
    await queueNotice({
      kind: 'SPONSOR_CONFIRMATION',
      messageKey: outboxMessageKey.sponsor(confirmationKey(c)),
      to: c.contactEmail!,
      language: 'zh',
      competitionId,
      stage: 'awards',
      closesAt: deadline,
      details: [
        `${name.zh}（${name.en ?? c.trackId}）`,
        ...c.entryIds.map((id) => {
          const tier = competition.awardPlan.tiers.find(
            (t) => t.tierId === after.proposal.awards.find((a) => a.entryId === id && a.kind === 'TIER')?.awardId,
          );
          return `${tier?.name.zh ?? ''}：${after.entries[id]?.title ?? id}（${after.entries[id]?.organizationName ?? ''}）`;
        }),
      ],
      link: {
        purpose: 'sponsor-confirmation',
        subject: `${competitionId}#${confirmationKey(c)}`,
        version: c.linkVersion,
      },
      at,
    });
  }
  const pending = after.confirmations.filter((c) => c.status === 'PENDING').length;
  return { pending, timeoutSeconds: Math.max(1, Math.ceil((Date.parse(deadline) - at.getTime()) / 1000)) };
});
