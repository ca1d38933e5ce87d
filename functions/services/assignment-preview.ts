import { buildProblem, describeSolution } from '../../shared/assignment/instance.ts';
import { solveAssignment } from '../../shared/assignment/solve.ts';
import type { Competition } from '../../shared/competition.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';
import { missingBlindCopies } from './document-access.ts';
import { activeExperts, needPanelsOf, reviewRoundOf, roundEntries } from './round-data.ts';

/**
 * The dry run of a review round's assignment: the round's eligible entries × the expert pool, exact
 * and certified, and for a blind round the entries lacking an anonymized copy. Nothing is stored.
 * `guard` sees the size before anything is solved (the API route refuses what cannot fit a request).
 */
export const previewAssignment = async (
  competition: Competition,
  roundId: string,
  guard: (entries: number, experts: number) => void = () => undefined,
) => {
  const { round } = reviewRoundOf(competition, roundId);
  const [entries, experts] = await Promise.all([roundEntries(competition, round.roundId), activeExperts()]);
  guard(entries.length, experts.length);
  const instance = roundInstance(competition, round, entries, experts, await needPanelsOf(entries));
  const { problem, reasons } = buildProblem(instance);
  const solution = solveAssignment(problem);
  return {
    competitionId: competition.competitionId,
    roundId: round.roundId,
    entries: entries.length,
    experts: experts.length,
    // A blind round shows reviewers only anonymized copies: which entries lack one, and of what.
    missingBlindCopies: round.blind
      ? await missingBlindCopies(
          competition,
          entries.map((e) => e.entryId),
        )
      : [],
    ...describeSolution(instance, problem, reasons, solution, 'optimal'),
  };
};
