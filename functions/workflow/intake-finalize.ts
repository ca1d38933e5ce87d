import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { roundSlug, slug } from '../../shared/competition.ts';
import { requireCompetition } from '../store/competitions.ts';
import { advanceRound, getRoundRun } from '../store/rounds.ts';
import { listAllEntries } from '../store/entries.ts';
import { applicantNotice, notifiesApplicants, queueApplicantNotices } from '../services/notifications.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/**
 * Records the round's result from its exact counters and returns it as the execution output; tells each
 * screened applicant the result first.
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  const run = await getRoundRun(competitionId, roundId);
  const byTrack = Object.fromEntries(
    competition.tracks.map((t) => {
      const eligible = run?.counts.ELIGIBLE?.[t.trackId] ?? 0;
      const ineligible = run?.counts.INELIGIBLE?.[t.trackId] ?? 0;
      return [t.trackId, { screened: eligible + ineligible, eligible, ineligible }];
    }),
  );
  const totals = Object.values(byTrack).reduce(
    (s, t) => ({
      screened: s.screened + t.screened,
      eligible: s.eligible + t.eligible,
      ineligible: s.ineligible + t.ineligible,
    }),
    { screened: 0, eligible: 0, ineligible: 0 },
  );
  const summary = { competitionId, roundId, totals, byTrack };
  // Each screened applicant hears the result before the round counts as screened (a redrive repeats
  // nothing already queued).
  if (notifiesApplicants(competition)) {
    const at = now();
    const nextRound = competition.rounds[competition.rounds.findIndex((r) => r.roundId === roundId) + 1]?.name;
    for (const t of competition.tracks) {
      for (const status of ['ELIGIBLE', 'INELIGIBLE'] as const) {
        const entries = await listAllEntries(competitionId, t.trackId, status);
        await queueApplicantNotices(
          entries
            .filter((e) => e.screening?.roundId === roundId)
            .map((e) =>
              applicantNotice(competition, e, { kind: 'SCREENING_RESULT', screening: e.screening!, nextRound }, at),
            ),
        );
      }
    }
  }
  await advanceRound(competitionId, roundId, 'SCREENED', { finishedAt: now().toISOString(), summary });
  return summary;
});
