import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { buildProblem, describeSolution } from '../../shared/assignment/instance.ts';
import { solveAssignment } from '../../shared/assignment/solve.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';
import { requireCompetition } from '../store/competitions.ts';
import { activeExperts, reviewRoundOf, roundEntries } from '../services/round-data.ts';
import { missingBlindCopies } from '../services/document-access.ts';

export const handler = api(roundRoutes.adminPreviewAssignment, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const { round } = reviewRoundOf(competition, params.roundId);
  const [entries, experts] = await Promise.all([roundEntries(competition, round.roundId), activeExperts()]);
  const instance = roundInstance(competition, round, entries, experts);
  const { problem, reasons } = buildProblem(instance);
  const solution = solveAssignment(problem);
  return {
    body: {
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
    },
  };
});
