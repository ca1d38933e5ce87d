import * as z from 'zod';
import { task } from '../runtime/task.ts';
import { now } from '../runtime/clock.ts';
import { missingBlindCopies } from '../services/document-access.ts';
import { queueReviewMessage } from '../services/notifications.ts';
import { activeExperts, needPanelsOf, reviewRoundOf, roundEntries } from '../services/round-data.ts';
import { roundSlug, slug } from '../../shared/ids.ts';
import { buildProblem, describeSolution } from '../../shared/assignment/instance.ts';
import { solvePanels } from '../../shared/assignment/panel.ts';
import { solveAssignment } from '../../shared/assignment/solve.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';
import { checkpointOffsets, nextCheckpoint } from '../../shared/review/reminders.ts';
import { requireCompetition } from '../store/competitions.ts';
import { assignmentIdOf, createAssignments } from '../store/reviews.ts';
import { outboxMessageKey } from '../store/outbox.ts';
import { recordAssignment } from '../store/rounds.ts';
import { recordMetric } from '../runtime/metrics.ts';

const input = z.object({ competitionId: slug, roundId: roundSlug, executionName: z.string().max(80) });

/**
 * First step of a review round: the exact assignment over the round's entries
 * and the expert pool (or, in panel mode, one exact panel per track), one
 * assignment record per pair, and one outbox message per expert with signed
 * links that expire when the round closes. Everything is keyed
 * deterministically, so a replay creates and sends nothing twice.
 */
export const handler = task(input, async ({ competitionId, roundId, executionName }) => {
  const competition = await requireCompetition(competitionId);
  const { round } = reviewRoundOf(competition, roundId);
  const at = now();
  const [entries, experts] = await Promise.all([roundEntries(competition, roundId), activeExperts()]);
  const instance = roundInstance(competition, round, entries, experts, await needPanelsOf(entries));
  const trackOf = new Map(entries.map((e) => [e.entryId, e.trackId]));
  let pairs: Array<{ entryId: string; trackId: string; expertEmail: string }>;
  let report: Record<string, unknown>;
  if (round.panel && entries.length) {
    const result = solvePanels(instance, trackOf, round.panel.size);
    pairs = result.pairs.map((p) => ({ ...p, trackId: trackOf.get(p.entryId)! }));
    report = {
      mode: 'panel',
      panels: result.panels,
      recusals: result.recusals,
      shortfalls: result.panels.filter((p) => p.missing > 0),
    };
  } else {
    const { problem, reasons } = buildProblem(instance);
    const solution = solveAssignment(problem);
    pairs = solution.reviewersOf.flatMap((js, i) =>
      js.map((j) => ({ entryId: entries[i]!.entryId, trackId: entries[i]!.trackId, expertEmail: experts[j]!.email })),
    );
    // The same report as the dry run (`npm run assign`, the preview route), without the pair list.
    report = { mode: 'assigned', ...describeSolution(instance, problem, reasons, solution, 'optimal').report };
  }
  // A blind round shows reviewers only anonymized copies: which entries lack one, and of what (on the report).
  if (round.blind)
    report.missingBlindCopies = await missingBlindCopies(
      competition,
      entries.map((e) => e.entryId),
    );
  const { created } = await createAssignments(competitionId, roundId, pairs, at);
  recordMetric('ReviewsAssigned', { competitionId, roundId }, created);

  const byExpert = new Map<string, string[]>();
  for (const p of pairs)
    (byExpert.get(p.expertEmail) ?? byExpert.set(p.expertEmail, []).get(p.expertEmail)!).push(
      assignmentIdOf(competitionId, roundId, p.entryId, p.expertEmail),
    );
  for (const x of experts) {
    const ids = byExpert.get(x.email);
    if (!ids) continue;
    await queueReviewMessage({
      kind: 'ASSIGNED',
      messageKey: outboxMessageKey.assigned(x.email),
      expert: x,
      competitionId,
      roundId,
      closesAt: round.reviewClosesAt,
      assignments: ids.map((assignmentId) => ({ assignmentId, linkVersion: 1 })),
      at,
    });
  }
  const shortfalls = (report.shortfalls as unknown[]).length;
  await recordAssignment(
    competitionId,
    roundId,
    { startedAt: at.toISOString(), executionName, assigned: pairs.length },
    pairs,
    report,
  );
  return {
    assigned: pairs.length,
    entries: entries.length,
    shortfalls,
    closed: false,
    // Step Functions waits for the reviews until the first checkpoint (a reminder, a reassignment) or the close.
    timeoutSeconds: nextCheckpoint(round.reviewClosesAt, checkpointOffsets(round), at.getTime()).timeoutSeconds,
  };
});
