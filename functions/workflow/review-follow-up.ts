import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { queueReviewMessage } from '../services/notifications.ts';
import { activeExperts, needPanelsOf, reviewRoundOf, roundEntries } from '../services/round-data.ts';
import { roundSlug, slug } from '../../shared/ids.ts';
import { solveTopUp } from '../../shared/assignment/top-up.ts';
import { topUpSlots, windowAllowsNewReviews, type FollowUpRules } from '../../shared/review/follow-up.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';
import { checkpointOffsets, dueReminders, nextCheckpoint } from '../../shared/review/reminders.ts';
import { advance, aggregateRound, cutoffOf, needsExtraReview } from '../../shared/review/scoring.ts';
import { requireCompetition } from '../store/competitions.ts';
import {
  addReview,
  allRoundAssignments,
  claimExtraPass,
  getReviewProgress,
  type AssignmentRecord,
} from '../store/reviews.ts';
import { outboxMessageKey } from '../store/outbox.ts';
import { recordMetric } from '../runtime/metrics.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug });

/**
 * Runs whenever the review wait ends — every review in, or a checkpoint (a
 * reminder, the reassignment of overdue reviews) or the close reached — and
 * decides what the round does next, in batches inside this one step:
 *  - reminders to experts with pending reviews (once per expert and offset);
 *  - a backup reviewer for every declined review (never the expert who declined the whole round), and for pending reviews at
 *    the reassignment checkpoint (the overdue link is revoked in the same
 *    transaction), while the window allows;
 *  - once every review is in: one extra reviewer for each entry whose totals
 *    disagree across the advancement cutoff (bounded passes);
 * then WAIT again (new reviews are out, or reviews are pending) or TALLY.
 */
export const handler = task(input, async ({ competitionId, roundId }) => {
  const competition = await requireCompetition(competitionId);
  const { round } = reviewRoundOf(competition, roundId);
  const at = now();
  const t = at.getTime();
  const closed = t >= Date.parse(round.reviewClosesAt);
  let progress = await getReviewProgress(competitionId, roundId);
  if (closed) return { next: 'TALLY', closed: true, timeoutSeconds: 1, reminded: 0, added: 0, unfilled: [], progress };

  let assignments = await allRoundAssignments(competitionId, roundId);
  const message = { competitionId, roundId, closesAt: round.reviewClosesAt, at };

  // Reminders for what is pending now.
  const pending = new Map<string, AssignmentRecord[]>();
  for (const a of assignments)
    if (a.status === 'PENDING')
      (pending.get(a.expertEmail) ?? pending.set(a.expertEmail, []).get(a.expertEmail)!).push(a);
  let reminded = 0;
  // The pool is read once, and only when a reminder is due: each reminder speaks its expert's language.
  let pool: Map<string, Awaited<ReturnType<typeof activeExperts>>[number]> | undefined;
  const expertNamed = async (email: string) => {
    pool ??= new Map((await activeExperts()).map((x) => [x.email, x]));
    return pool.get(email) ?? { email };
  };
  for (const hoursBefore of dueReminders(round.reviewClosesAt, round.reminderHoursBefore, t)) {
    for (const [email, mine] of pending) {
      const sent = await queueReviewMessage({
        ...message,
        kind: 'REMINDER',
        messageKey: outboxMessageKey.reminder(email, hoursBefore),
        expert: await expertNamed(email),
        assignments: mine,
        hoursBefore,
      });
      if (sent) reminded++;
    }
  }
  recordMetric('ReviewerReminders', { competitionId, roundId }, reminded);

  // Disagreement (分歧): only with every review in; the pass and its entries are recorded once.
  const rules: FollowUpRules = { closesAt: round.reviewClosesAt, ...round.backupReviewers };
  let extraPass = progress.extraPass;
  // The round's entries are read only when something needs them (most checkpoints need none).
  let entries: Awaited<ReturnType<typeof roundEntries>> | undefined;
  const roundEntriesOnce = async () => (entries ??= await roundEntries(competition, roundId));
  if (
    round.disagreement &&
    progress.completedAt &&
    (extraPass?.k ?? 0) < round.disagreement.maxExtraPasses &&
    windowAllowsNewReviews(rules, t)
  ) {
    const reviews = assignments
      .filter((a) => a.status === 'SUBMITTED' && a.scores)
      .map((a) => ({ entryId: a.entryId, reviewerId: a.expertEmail, scores: a.scores! }));
    const scores = aggregateRound(
      competition.rubric.criteria,
      (await roundEntriesOnce()).map((e) => ({
        entryId: e.entryId,
        trackId: e.trackId,
        submittedAt: e.submittedAt ?? e.createdAt,
      })),
      reviews,
      round.aggregation,
    );
    const disputed = needsExtraReview(
      scores,
      cutoffOf(advance(scores, round.advancement)),
      round.disagreement.spreadAbove,
    );
    if (disputed.length)
      extraPass = await claimExtraPass(competitionId, roundId, (extraPass?.k ?? 0) + 1, disputed.sort());
  }

  // Backup and extra reviewers, all at once through the exact solver.
  const slots = topUpSlots(rules, assignments, extraPass, t);
  let added = 0;
  let unfilled: Array<{ entryId: string; reason: string; need: unknown }> = [];
  if (slots.length) {
    // An expert who declined the whole round (from their home) gets no backup review in it.
    const declinedRound = new Set(assignments.filter((a) => a.roundDeclined).map((a) => a.expertEmail));
    const experts = (await activeExperts()).filter((x) => !declinedRound.has(x.email));
    const entries = await roundEntriesOnce();
    const instance = roundInstance(competition, round, entries, experts, await needPanelsOf(entries));
    const held = assignments.map((a) => ({
      entryId: a.entryId,
      expertEmail: a.expertEmail,
      active: a.status === 'PENDING' || a.status === 'SUBMITTED',
    }));
    const result = solveTopUp(instance, held, slots);
    unfilled = result.unfilled;
    const byId = new Map(assignments.map((a) => [a.assignmentId, a]));
    const trackOf = new Map((await roundEntriesOnce()).map((e) => [e.entryId, e.trackId]));
    const expertOf = new Map(experts.map((x) => [x.email, x]));
    for (const f of result.filled) {
      const replaced = f.need.kind === 'REPLACES' ? byId.get(f.need.assignmentId)! : undefined;
      const created = await addReview(
        { competitionId, roundId, entryId: f.entryId, trackId: trackOf.get(f.entryId)!, expertEmail: f.expertEmail },
        replaced
          ? { kind: 'REPLACES', assignment: replaced }
          : { kind: 'EXTRA', pass: (f.need as { pass: number }).pass },
        at,
      );
      if (!created) continue;
      added++;
      recordMetric('ReviewsAssigned', { competitionId, roundId });
      await queueReviewMessage({
        ...message,
        kind: 'ADDED',
        messageKey: outboxMessageKey.added(f.expertEmail, created.assignmentId),
        expert: expertOf.get(f.expertEmail)!,
        assignments: [created],
      });
      if (replaced?.status === 'PENDING') {
        await queueReviewMessage({
          ...message,
          kind: 'WITHDRAWN',
          messageKey: outboxMessageKey.withdrawn(replaced.expertEmail, replaced.assignmentId),
          expert: expertOf.get(replaced.expertEmail) ?? { email: replaced.expertEmail },
          assignments: [replaced],
        });
      }
    }
    if (added) {
      assignments = await allRoundAssignments(competitionId, roundId);
      progress = await getReviewProgress(competitionId, roundId);
    }
  }

  // Wait again while reviews are out; tally once every expected review is in and nothing was added.
  const complete = progress.received >= progress.expected && !assignments.some((a) => a.status === 'PENDING');
  const next = complete && !added ? 'TALLY' : 'WAIT';
  return {
    next,
    closed: false,
    timeoutSeconds: nextCheckpoint(round.reviewClosesAt, checkpointOffsets(round), t).timeoutSeconds,
    reminded,
    added,
    unfilled,
    progress,
  };
});
