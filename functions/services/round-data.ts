import type { Competition, ReviewRound } from '../../shared/competition.ts';
import { AppError, conflict } from '../../shared/errors.ts';
import { getNeedPanels } from '../store/needs.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { getEntryRecord, listAllEntries, type EntryRecord } from '../store/entries.ts';
import { listAllExperts } from '../store/experts.ts';
import { listAdvanced } from '../store/decisions.ts';

export const reviewRoundOf = (c: Competition, roundId: string): { round: ReviewRound; previous?: ReviewRound } => {
  const index = c.rounds.findIndex((r) => r.roundId === roundId);
  const round = c.rounds[index];
  if (!round) throw new AppError(404, 'NOT_FOUND', `Round "${roundId}" was not found`);
  if (round.kind === 'INTAKE') throw conflict('ROUND_KIND_NOT_SUPPORTED', 'The intake round has no reviewers');
  const previous = c.rounds[index - 1];
  return { round, previous: previous && previous.kind !== 'INTAKE' ? previous : undefined };
};

/** The entries a review round scores: the eligible ones, or those the previous review round advanced. */
export const roundEntries = async (c: Competition, roundId: string): Promise<EntryRecord[]> => {
  const { previous } = reviewRoundOf(c, roundId);
  if (previous) {
    const ids = await listAdvanced(c.competitionId, previous.roundId);
    const records = await Promise.all(ids.map((id) => getEntryRecord(id)));
    return records.filter((e): e is EntryRecord => !!e && e.status !== 'WITHDRAWN');
  }
  const perTrack = await Promise.all(c.tracks.map((t) => listAllEntries(c.competitionId, t.trackId, 'ELIGIBLE')));
  return perTrack.flat();
};

/** Experts who take reviews this round. */
export const activeExperts = async (): Promise<Expert[]> =>
  (await listAllExperts()).filter((x) => x.maxLoadPerRound > 0);

/** The needs the entries answer (揭榜): each one's sponsor (recused) and nominated experts (preferred). */
export const needPanelsOf = (entries: Array<{ needId?: string }>) =>
  getNeedPanels([...new Set(entries.flatMap((e) => (e.needId ? [e.needId] : [])))]);
