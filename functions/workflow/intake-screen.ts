import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { roundSlug, slug } from '../../shared/competition.ts';
import { screenEntry, type Screening } from '../../shared/entry.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listSubmittedForScreening, recordScreening, SCREENING_BATCH } from '../store/entries.ts';
import { listDocuments } from '../store/documents.ts';
import { getRoundRun } from '../store/rounds.ts';
import { recordMetric } from '../runtime/metrics.ts';

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
/**
 * A required document still being scanned is waited for: the step asks the state machine to wait
 * this long and come back, for at most SCAN_WAIT_MS after the close; then the entry is screened with
 * that reason, visibly (never silently passed or failed).
 */
const SCAN_WAIT_SECONDS = 30;
const SCAN_WAIT_MS = 10 * 60_000;

/** Each entry's uploaded documents: the types scanned clean, and those still being scanned. */
const uploadsOf = async (entryId: string) => {
  const docs = await listDocuments(entryId);
  return {
    clean: new Set<string>(docs.filter((d) => d.status === 'CLEAN').map((d) => d.type)),
    scanning: new Set<string>(docs.filter((d) => d.status === 'SCANNING').map((d) => d.type)),
  };
};

export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  const closedAt = Date.parse((await getRoundRun(competitionId, roundId))?.intakeClosedAt ?? '') || 0;
  const required = competition.eligibility.requiredDocuments as readonly string[];
  let screened = 0;
  let more = false;
  for (const track of competition.tracks) {
    for (let b = 0; b < BATCHES_PER_INVOCATION; b++) {
      const submitted = await listSubmittedForScreening(competitionId, track.trackId, BATCH);
      if (!submitted.length) break;
      const at = now();
      const uploads = await Promise.all(submitted.map((e) => uploadsOf(e.entryId)));
      const waiting = uploads.some((u) => required.some((t) => !u.clean.has(t) && u.scanning.has(t)));
      if (waiting && at.getTime() - closedAt < SCAN_WAIT_MS)
        return { screened, more: true, waitSeconds: SCAN_WAIT_SECONDS };
      const decisions = submitted.map((entry, k) => {
        const failures = screenEntry(entry, competition.eligibility, uploads[k]!);
        const screening: Screening = {
          outcome: failures.length ? 'INELIGIBLE' : 'ELIGIBLE',
          failures,
          screenedAt: at.toISOString(),
          roundId,
        };
        return { entry, screening };
      });
      const recordedDecisions = await recordScreening(competitionId, roundId, decisions, at);
      const recorded = recordedDecisions.length;
      const eligible = recordedDecisions.filter((d) => d.screening.outcome === 'ELIGIBLE').length;
      recordMetric('EntriesEligible', { competitionId, trackId: track.trackId }, eligible);
      recordMetric('EntriesIneligible', { competitionId, trackId: track.trackId }, recorded - eligible);
      // Register and entries change in one transaction; a batch of which nothing records
      // would loop for ever, so it fails the step loudly instead.
      if (!recorded) throw new Error(`submission register of ${competitionId}/${track.trackId} is out of step`);
      screened += recorded;
      more = submitted.length === BATCH;
      if (!more) break;
    }
    if (more) break; // budget for this call spent; the next call continues
  }
  return { screened, more, waitSeconds: 0 };
});
