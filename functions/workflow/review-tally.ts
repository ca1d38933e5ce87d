import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { reviewRoundOf, roundEntries } from '../services/round-data.ts';
import { roundSlug, slug } from '../../shared/ids.ts';
import { type TallyRules, tallyRound } from '../../shared/review/scoring.ts';
import { requireCompetition } from '../store/competitions.ts';
import { allRoundAssignments, getReviewProgress } from '../store/reviews.ts';
import { listDecisions, putDecisions } from '../store/decisions.ts';
import { freezeRound, recordTally } from '../store/rounds.ts';
import { applicantNotice, queueApplicantNotices } from '../services/notifications.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/**
 * Freezes the round — from then on no review, draft or conflict declaration of
 * it can change (every review write is conditioned on the round not being
 * frozen) — then scores it with what arrived, applies the advancement rule and
 * stores each decision with its explanation and per-criterion means: the
 * snapshot everything downstream reads (next round, awards, exports).
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  const { round, previous } = reviewRoundOf(competition, roundId);
  const at = now();
  await freezeRound(competitionId, roundId, at);
  const assignments = await allRoundAssignments(competitionId, roundId);
  const reviews = assignments
    .filter((a) => a.status === 'SUBMITTED' && a.scores)
    .map((a) => ({ entryId: a.entryId, reviewerId: a.expertEmail, scores: a.scores! }));
  const earlier =
    previous && round.carryPreviousWeight > 0
      ? new Map((await listDecisions(competitionId, previous.roundId)).map((d) => [d.entryId, d.aggregate]))
      : undefined;
  const roundList = await roundEntries(competition, roundId);
  const entries = roundList.map((e) => ({
    entryId: e.entryId,
    trackId: e.trackId,
    submittedAt: e.submittedAt ?? e.createdAt,
    previousAggregate: earlier?.get(e.entryId),
  }));
  const rules: TallyRules = {
    rubric: competition.rubric.criteria,
    aggregation: round.aggregation,
    advancement: round.advancement,
    carryPreviousWeight: round.carryPreviousWeight,
  };
  const { decisions, scored, inputsHash, decisionsHash } = tallyRound(rules, entries, reviews);
  await putDecisions(competitionId, roundId, decisions, at);
  const progress = await getReviewProgress(competitionId, roundId);
  const summary = {
    competitionId,
    roundId,
    entries: entries.length,
    scored,
    advanced: decisions.filter((d) => d.advanced).length,
    reviewsExpected: progress.expected,
    reviewsReceived: progress.received,
    allReviewsIn: progress.expected > 0 && progress.received >= progress.expected,
    reviewsByTrack: progress.perTrack,
    disagreementPasses: progress.extraPass?.k ?? 0,
  };
  await recordTally(
    competitionId,
    roundId,
    { finishedAt: at.toISOString(), summary, inputsHash, decisionsHash },
    {
      competitionId,
      type: 'ROUND_TALLIED',
      subject: roundId,
      by: 'review-workflow',
      at: at.toISOString(),
      data: {
        roundId,
        // What a replay from the record needs besides the reviews and entries (also on the record).
        rules,
        previousRoundId: previous?.roundId ?? null,
        inputsHash,
        decisionsHash,
        entries: entries.length,
        reviews: reviews.length,
        advanced: summary.advanced,
      },
    },
  );
  // Each applicant of the round hears its outcome, once the decisions are on the record.
  const index = competition.rounds.findIndex((r) => r.roundId === roundId);
  const nextRound = competition.rounds[index + 1]?.name;
  const byEntry = new Map(roundList.map((e) => [e.entryId, e]));
  await queueApplicantNotices(
    decisions.map((d) => {
      const entry = byEntry.get(d.entryId)!;
      const event = {
        kind: 'ROUND_RESULT' as const,
        roundId,
        roundName: round.name,
        advanced: d.advanced,
        trackRank: d.trackRank,
        ...(nextRound ? { nextRound } : {}),
      };
      return applicantNotice(competition, entry, event, at);
    }),
  );
  return { ...summary, inputsHash, decisionsHash };
});
