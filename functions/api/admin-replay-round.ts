import { replayRound } from '../../shared/review/replay.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { api } from '../runtime/http.ts';
import { readAuditChains } from '../store/audit.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listDecisions } from '../store/decisions.ts';

/** How many differing entries the answer lists (the count is always complete). */
const LISTED = 50;

/**
 * Replays a round from the audit record and compares: the recorded hashes of
 * the tally's inputs and decisions, and every stored decision (aggregate,
 * ranks, advancement) against the replayed one.
 */
export const handler = api(roundRoutes.adminReplayRound, async ({ params }) => {
  await requireCompetition(params.competitionId);
  const records = (await readAuditChains(params.competitionId)).flatMap((c) => c.records);
  const replay = replayRound(records, params.roundId);
  const stored = new Map((await listDecisions(params.competitionId, params.roundId)).map((d) => [d.entryId, d]));
  type Outcome = { aggregate: number; overallRank: number; advanced: boolean };
  const outcome = (d: Outcome): Outcome => ({
    aggregate: d.aggregate,
    overallRank: d.overallRank,
    advanced: d.advanced,
  });
  const differences: Array<{ entryId: string; replayed: Outcome | null; stored: Outcome | null }> = [];
  for (const d of replay.decisions) {
    const s = stored.get(d.entryId);
    stored.delete(d.entryId);
    const same =
      s &&
      s.aggregate === d.aggregate &&
      s.overallRank === d.overallRank &&
      s.trackRank === d.trackRank &&
      s.advanced === d.advanced;
    if (!same) differences.push({ entryId: d.entryId, replayed: outcome(d), stored: s ? outcome(s) : null });
  }
  // Stored decisions the replay does not reach.
  for (const s of stored.values()) differences.push({ entryId: s.entryId, replayed: null, stored: outcome(s) });
  return {
    body: {
      competitionId: params.competitionId,
      roundId: params.roundId,
      matches: replay.matches && differences.length === 0,
      hashes: { recorded: replay.recorded, replayed: replay.replayed },
      decisions: replay.decisions.length,
      differences: differences.length,
      firstDifferences: differences.slice(0, LISTED),
    },
  };
});
