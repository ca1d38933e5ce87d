import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { roundSlug, slug } from '../../shared/competition.ts';
import { screenEntry, type Screening } from '../../shared/entry.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listEntries, recordScreening, SCREENING_BATCH } from '../store/entries.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/** One transaction per batch (97 entries + the round counter + the audit record), a few batches per invocation. */
const BATCH = SCREENING_BATCH;
const BATCHES_PER_INVOCATION = 10;

/**
 * Screens up to ~1,000 SUBMITTED entries per call and reports whether more
 * remain; the state machine loops, so its history grows with batches, not entries.
 * Screened entries leave the SUBMITTED partition, so each call starts afresh and a
 * retried call simply finds less to do.
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  let screened = 0;
  let more = false;
  for (const track of competition.tracks) {
    for (let b = 0; b < BATCHES_PER_INVOCATION; b++) {
      const page = await listEntries(competitionId, track.trackId, 'SUBMITTED', BATCH);
      if (!page.items.length) break;
      const at = now();
      const decisions = page.items.map((entry) => {
        const failures = screenEntry(entry, competition.eligibility);
        const screening: Screening = {
          outcome: failures.length ? 'INELIGIBLE' : 'ELIGIBLE',
          failures,
          screenedAt: at.toISOString(),
          roundId,
        };
        return { entry, screening };
      });
      screened += (await recordScreening(competitionId, roundId, decisions, at)).length;
      more = page.cursor !== undefined;
      if (!more) break;
    }
    if (more) break; // budget for this call spent; the next call continues
  }
  return { screened, more };
});
