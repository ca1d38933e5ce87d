import type { Competition, Round } from '../../shared/competition.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { getEntryRecord, listEntries, type EntryRecord } from '../store/entries.ts';
import { listExperts } from '../store/experts.ts';
import { listAdvanced } from '../store/round-results.ts';

export type ReviewRound = Extract<Round, { reviewersPerEntry: number }>;

export const reviewRoundOf = (c: Competition, roundId: string): { round: ReviewRound; previous?: ReviewRound } => {
  const index = c.rounds.findIndex((r) => r.roundId === roundId);
  const round = c.rounds[index];
  if (!round) throw new AppError(404, 'NOT_FOUND', `Round "${roundId}" was not found`);
  if (round.kind === 'INTAKE') throw conflict('ROUND_KIND_NOT_SUPPORTED', 'The intake round has no reviewers');
  const previous = c.rounds[index - 1];
  return { round, previous: previous && previous.kind !== 'INTAKE' ? previous : undefined };
};

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

/** The entries a review round scores: the eligible ones, or those the previous review round advanced. */
export const roundEntries = async (c: Competition, roundId: string): Promise<EntryRecord[]> => {
  const { previous } = reviewRoundOf(c, roundId);
  if (previous) {
    const ids = await listAdvanced(c.competitionId, previous.roundId);
    const records = await Promise.all(ids.map((id) => getEntryRecord(id)));
    return records.filter((e): e is EntryRecord => !!e && e.status !== 'WITHDRAWN');
  }
  const out: EntryRecord[] = [];
  for (const t of c.tracks) out.push(...(await all((cursor) => listEntries(c.competitionId, t.trackId, 'ELIGIBLE', 100, cursor))));
  return out;
};

/** Experts who take reviews this round. */
export const activeExperts = async (): Promise<Expert[]> => (await all<Expert>((cursor) => listExperts(100, cursor))).filter((x) => x.maxLoadPerRound > 0);
