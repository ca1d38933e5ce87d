import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { roundSlug, slug } from '../../shared/competition.ts';
import { screenEntry, type Screening } from '../../shared/entry.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listSubmittedForScreening, recordScreening, SCREENING_BATCH } from '../store/entries.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/** One transaction per batch (48 entries, their register items, the round counter, the audit record). */
const BATCH = SCREENING_BATCH;
const BATCHES_PER_INVOCATION = 20;

/**
 * Screens up to ~1,000 SUBMITTED entries per call and reports whether more
 * remain; the state machine loops, so its history grows with batches, not entries.
 * Screened entries leave the submission register in the same transaction, so each
 * call starts afresh and a retried call simply finds less to do.
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  let screened = 0;
  let more = false;
  for (const track of competition.tracks) {
    for (let b = 0; b < BATCHES_PER_INVOCATION; b++) {
      const submitted = await listSubmittedForScreening(competitionId, track.trackId, BATCH);
      if (!submitted.length) break;
      const at = now();
      const decisions = submitted.map((entry) => {
        const failures = screenEntry(entry, competition.eligibility);
        const screening: Screening = {
          outcome: failures.length ? 'INELIGIBLE' : 'ELIGIBLE',
          failures,
          screenedAt: at.toISOString(),
          roundId,
        };
        return { entry, screening };
      });
      const recorded = (await recordScreening(competitionId, roundId, decisions, at)).length;
      // Register and entries change in one transaction; a batch of which nothing records
      // would loop for ever, so it fails the step loudly instead.
      if (!recorded) throw new Error(`submission register of ${competitionId}/${track.trackId} is out of step`);
      screened += recorded;
      more = submitted.length === BATCH;
      if (!more) break;
    }
    if (more) break; // budget for this call spent; the next call continues
  }
  return { screened, more };
});
