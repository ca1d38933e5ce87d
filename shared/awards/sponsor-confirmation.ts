import type { Proposal } from './allocation.ts';

/**
 * 揭榜挂帅 in the award workflow: a sponsor confirms the winners of its challenge track, or — for entries
 * that answered an enterprise need — the winners among the answers to its need. Each confirmation has a
 * key: the track's id, or `need-<needId>`; the sponsor's signed link names it.
 */
export const confirmationKey = (c: { trackId: string; needId?: string }) => (c.needId ? `need-${c.needId}` : c.trackId);

/** What a sponsor's decline withholds: every tier award of a challenge track, or the need's winners. */
export interface Declined {
  tracks: ReadonlySet<string>;
  entries: ReadonlySet<string>;
}

/** The awards as published: the approved ones minus the tier awards a sponsor declined. */
export const withoutDeclined = (awards: Proposal['awards'], declined: Declined): Proposal['awards'] =>
  awards.filter((a) => !(a.kind === 'TIER' && (declined.tracks.has(a.trackId) || declined.entries.has(a.entryId))));
