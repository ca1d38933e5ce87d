import { replayRound } from '../../shared/review/replay.ts';
import { replayAwards } from '../../shared/awards/replay.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import type { AuditRecord } from '../../shared/audit.ts';
import { getAwards } from '../store/awards.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { api } from '../runtime/http.ts';
import { readAuditChains } from '../store/audit.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listDecisions } from '../store/decisions.ts';
import { allRoundAssignments } from '../store/reviews.ts';

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
  if (params.roundId === 'awards') return { body: await awardsReplay(params.competitionId, records) };
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
  const assignment = await assignmentCheck(params.competitionId, params.roundId, records);
  return {
    body: {
      competitionId: params.competitionId,
      roundId: params.roundId,
      matches: replay.matches && differences.length === 0 && assignment.matches,
      assignment,
      hashes: { recorded: replay.recorded, replayed: replay.replayed },
      decisions: replay.decisions.length,
      differences: differences.length,
      firstDifferences: differences.slice(0, LISTED),
    },
  };
});

/**
 * The awards replayed from the record (each proposal, amendment and the publication against the hash it
 * recorded), and the stored proposal and publication against the replayed ones.
 */
const awardsReplay = async (competitionId: string, records: Parameters<typeof replayAwards>[0]) => {
  const replay = replayAwards(records);
  const stored = await getAwards(competitionId);
  const hashOf = (v: unknown) => (v === undefined ? null : sha256(canonicalJson(v)));
  const storedHashes = { proposal: hashOf(stored?.proposal), published: hashOf(stored?.published) };
  const replayedHashes = { proposal: replay.proposalHash, published: replay.publishedHash ?? null };
  const differences = [
    ...replay.steps.filter((s) => !s.matches).map((s) => `${s.type} at ${s.at}: recorded ${s.recorded}`),
    ...(storedHashes.proposal !== replayedHashes.proposal ? ['the stored proposal differs from the replayed one'] : []),
    ...(storedHashes.published !== replayedHashes.published
      ? ['the stored publication differs from the replayed one']
      : []),
  ];
  return {
    competitionId,
    roundId: 'awards',
    finalRoundId: replay.finalRoundId,
    matches: differences.length === 0,
    steps: replay.steps,
    hashes: { stored: storedHashes, replayed: replayedHashes },
    awards: replay.proposal.awards.length,
    published: replay.published?.length ?? null,
    differences: differences.length,
    firstDifferences: differences.slice(0, LISTED),
  };
};

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The round's assignments against the record: the pairs the assignment step made (their hash is on the
 * record) and every reviewer added later (each has its own record). An assignment written around the
 * workflow — or one removed — shows up here.
 */
const assignmentCheck = async (competitionId: string, roundId: string, records: AuditRecord[]) => {
  const assigned = records.find((r) => r.type === 'REVIEWERS_ASSIGNED' && r.data?.roundId === roundId);
  const added = new Set(
    records.filter((r) => r.type === 'REVIEWER_ADDED' && r.data?.roundId === roundId).map((r) => r.subject),
  );
  const stored = await allRoundAssignments(competitionId, roundId);
  const initial = stored
    .filter((a) => a.replaces === undefined && a.extraPass === undefined)
    .map((a) => [a.entryId, a.expertEmail])
    .sort((a, b) => byCodeUnits(a[0]!, b[0]!) || byCodeUnits(a[1]!, b[1]!));
  const later = stored.filter((a) => a.replaces !== undefined || a.extraPass !== undefined).map((a) => a.assignmentId);
  const pairsHash = sha256(canonicalJson(initial));
  const unrecorded = later.filter((id) => !added.has(id));
  const missing = [...added].filter((id) => !later.includes(id));
  return {
    recorded: assigned
      ? { pairsHash: assigned.data?.pairsHash ?? null, assigned: assigned.data?.assigned ?? null }
      : null,
    stored: { pairsHash, assigned: initial.length, added: later.length },
    unrecordedAdditions: unrecorded.slice(0, LISTED),
    missingAdditions: missing.slice(0, LISTED),
    matches: !!assigned && assigned.data?.pairsHash === pairsHash && !unrecorded.length && !missing.length,
  };
};
