import { api } from '../lib/http.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import type { Entry } from '../../shared/entry.ts';
import { buildProblem, describeSolution } from '../../shared/assignment/instance.ts';
import { solveAssignment } from '../../shared/assignment/solve.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listEntries } from '../store/entries.ts';
import { listExperts } from '../store/experts.ts';

const all = async <T>(page: (cursor?: string) => Promise<{ items: T[]; cursor?: string }>) => {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    out.push(...p.items);
    cursor = p.cursor;
  } while (cursor);
  return out;
};

export const handler = api(organizerRoutes.adminPreviewAssignment, async ({ params }) => {
  const competition = await requireCompetition(params.competitionId);
  const round = competition.rounds.find((r) => r.roundId === params.roundId);
  if (!round) throw new AppError(404, 'NOT_FOUND', 'Round was not found');
  if (round.kind === 'INTAKE') throw conflict('ROUND_KIND_NOT_SUPPORTED', 'The intake round has no reviewers to assign');

  const entries: Entry[] = [];
  for (const t of competition.tracks) {
    const records = await all((cursor) => listEntries(competition.competitionId, t.trackId, 'ELIGIBLE', 100, cursor));
    entries.push(...records);
  }
  const experts = (await all<Expert>((cursor) => listExperts(100, cursor))).filter((x) => x.maxLoadPerRound > 0);
  const instance = roundInstance(competition, round, entries, experts);
  const { problem, reasons } = buildProblem(instance);
  const solution = solveAssignment(problem);
  return { body: { competitionId: competition.competitionId, roundId: round.roundId, entries: entries.length, experts: experts.length, ...describeSolution(instance, problem, reasons, solution, 'optimal') } };
});
