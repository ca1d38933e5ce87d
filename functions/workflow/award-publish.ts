import * as z from 'zod';
import { confirmationKey, withoutDeclined } from '../../shared/awards/sponsor-confirmation.ts';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { requiredEnv } from '../runtime/aws.ts';
import { startOnce } from '../runtime/executions.ts';
import { slug } from '../../shared/ids.ts';
import { requireCompetition } from '../store/competitions.ts';
import { updateAwards } from '../store/awards.ts';
import { recordMetric } from '../runtime/metrics.ts';
import { getEntryRecords } from '../store/entries.ts';
import { applicantNotice, queueApplicantNotices } from '../services/notifications.ts';

const input = z.object({ competitionId: slug });

/**
 * Publishes the approved awards — minus the tier awards of a challenge track
 * whose sponsor declined its winner; an unanswered request is recorded as
 * timed out and the organizer's decision stands — and starts one hand-off
 * workflow per winner of a funded tier, named after the entry (idempotent).
 */
export const handler = task(input, async ({ competitionId }) => {
  const competition = await requireCompetition(competitionId);
  const at = now().toISOString();
  const { after, written } = await updateAwards(competitionId, (current) => {
    if (current.status === 'PUBLISHED') return undefined;
    const confirmations = current.confirmations.map((c) =>
      c.status === 'PENDING' ? { ...c, status: 'TIMED_OUT' as const } : c,
    );
    const refused = confirmations.filter((c) => c.status === 'DECLINED');
    const declined = new Set(refused.map(confirmationKey));
    const published = withoutDeclined(current.proposal.awards, {
      tracks: new Set(refused.filter((c) => !c.needId).map((c) => c.trackId)),
      entries: new Set(refused.filter((c) => c.needId).flatMap((c) => c.entryIds)),
    });
    return {
      ...current,
      status: 'PUBLISHED',
      confirmations,
      published,
      publishedAt: at,
      history: [
        ...current.history,
        {
          at,
          by: 'award-workflow',
          action: 'PUBLISHED',
          detail: `${published.length} awards${declined.size ? `; withheld in ${[...declined].join(', ')} (sponsor declined)` : ''}`,
        },
      ],
    };
  });
  if (written) recordMetric('AwardsPublished', { competitionId }, after.published?.length ?? 0);
  // Each winner hears of each award (a replay, or a published record found again, queues nothing twice).
  const published = after.published ?? [];
  const awarded = await getEntryRecords([...new Set(published.map((a) => a.entryId))]);
  const byEntry = new Map(awarded.map((e) => [e.entryId, e]));
  const names = new Map<string, { zh: string; en?: string }>([
    ...competition.awardPlan.tiers.map((t) => [t.tierId, t.name] as const),
    ...competition.awardPlan.specialAwards.map((s) => [s.awardId, s.name] as const),
  ]);
  await queueApplicantNotices(
    published.flatMap((a) => {
      const entry = byEntry.get(a.entryId);
      if (!entry) return [];
      const awardName = names.get(a.awardId) ?? { zh: a.awardId };
      return [applicantNotice(competition, entry, { kind: 'AWARD_WON', awardId: a.awardId, awardName }, new Date(at))];
    }),
  );
  const funded = new Set(competition.awardPlan.tiers.filter((t) => t.funded).map((t) => t.tierId));
  const winners = (after.published ?? []).filter((a) => a.kind === 'TIER' && funded.has(a.awardId));
  let started = 0;
  for (const w of winners) {
    // Named after the entry: a replay finds it already handed off.
    const input = { competitionId, entryId: w.entryId, awardId: w.awardId };
    if (await startOnce(requiredEnv('HANDOFF_STATE_MACHINE_ARN'), `${competitionId}_${w.entryId}`, input)) started++;
  }
  return {
    published: after.published?.length ?? 0,
    handOffs: winners.length,
    handOffsStarted: started,
    publishedAt: after.publishedAt,
  };
});
