import * as z from 'zod';
import { task } from '../lib/task.ts';
import { now } from '../lib/clock.ts';
import { linkKeys } from '../lib/link-keys.ts';
import { activeExperts, reviewRoundOf, roundEntries } from '../lib/round-data.ts';
import { roundSlug, slug } from '../../shared/ids.ts';
import { buildProblem } from '../../shared/assignment/instance.ts';
import { solveAssignment } from '../../shared/assignment/solve.ts';
import { signLink } from '../../shared/links.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';
import { nextCheckpoint } from '../../shared/review/reminders.ts';
import { requireCompetition } from '../store/competitions.ts';
import { assignmentIdOf, createAssignments } from '../store/reviews.ts';
import { putOutboxMessage } from '../store/round-results.ts';
import { advanceRound } from '../store/rounds.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug, executionName: z.string().max(80) });

/**
 * First step of a review round: the exact assignment over the round's entries
 * and the expert pool, one assignment record per pair, and one outbox message
 * per expert with signed links that expire when the round closes. Everything is
 * keyed deterministically, so a replay creates and sends nothing twice.
 */
export const handler = task(input, async ({ competitionId, roundId, executionName }) => {
  const competition = await requireCompetition(competitionId);
  const { round } = reviewRoundOf(competition, roundId);
  const at = now();
  const [entries, experts] = await Promise.all([roundEntries(competition, roundId), activeExperts()]);
  const instance = roundInstance(competition, round, entries, experts);
  const { problem } = buildProblem(instance);
  const solution = solveAssignment(problem);
  const pairs = solution.reviewersOf.flatMap((js, i) => js.map((j) => ({ entryId: entries[i]!.entryId, trackId: entries[i]!.trackId, expertEmail: experts[j]!.email })));
  await createAssignments(competitionId, roundId, pairs, at);

  const { current } = await linkKeys();
  const expiresAt = new Date(round.reviewClosesAt);
  const byExpert = new Map<string, string[]>();
  for (const p of pairs) (byExpert.get(p.expertEmail) ?? byExpert.set(p.expertEmail, []).get(p.expertEmail)!).push(assignmentIdOf(competitionId, roundId, p.entryId, p.expertEmail));
  for (const x of experts) {
    const ids = byExpert.get(x.email);
    if (!ids) continue;
    await putOutboxMessage({
      expertEmail: x.email,
      competitionId,
      roundId,
      language: x.languages[0] === 'en' ? 'en' : 'zh',
      links: ids.map((assignmentId) => ({ assignmentId, path: `/review/${signLink({ purpose: 'review', subject: assignmentId, version: 1, expiresAt }, current)}` })),
      createdAt: at.toISOString(),
    });
  }
  const shortfalls = solution.shortfalls.map((f) => ({ entryId: entries[f.entry]!.entryId, missing: f.missing, reason: f.reason }));
  await advanceRound(competitionId, roundId, 'REVIEWING', { startedAt: at.toISOString(), executionName, assigned: pairs.length, shortfalls });
  return {
    assigned: pairs.length,
    entries: entries.length,
    shortfalls: shortfalls.length,
    closed: false,
    // Step Functions waits for the reviews until the first reminder is due, or the close.
    timeoutSeconds: nextCheckpoint(round.reviewClosesAt, round.reminderHoursBefore, at.getTime()).timeoutSeconds,
  };
});
