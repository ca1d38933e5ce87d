import type { AuditRecord } from '../audit.ts';
import { conflict } from '../errors.ts';
import { replayRound } from '../review/replay.ts';
import { canonicalJson, sha256 } from '../tokens.ts';
import { type Amendment, type AwardPlanInput, allocateAwards, applyAmendment, type Proposal } from './allocation.ts';
import { withoutDeclined } from './sponsor-confirmation.ts';

/**
 * Replays the awards from the audit record alone: every proposal is allocated
 * again from the final round's replayed decisions (entries withdrawn before it
 * left out) and the plan the proposal recorded; every amendment is applied
 * again in order; the publication withholds the tiers of tracks whose sponsor
 * declined, and the winners of needs whose sponsor declined them. After each step the result's hash is compared with the hash the
 * step recorded, so a proposal, amendment or publication that was bent — or a
 * record that was — is named.
 */
export interface AwardStepReplay {
  /** The audit record's type, e.g. AWARDS_PROPOSED, AWARDS_AMENDED_ADD, AWARDS_PUBLISHED. */
  type: string;
  at: string;
  recorded: string;
  replayed: string;
  matches: boolean;
}

export interface AwardsReplay {
  finalRoundId: string;
  steps: AwardStepReplay[];
  matches: boolean;
  proposal: Proposal;
  published?: Proposal['awards'];
  /** Hashes of the last proposal and of the publication, to compare with what is stored. */
  proposalHash: string;
  publishedHash?: string;
}

interface HistoryLine {
  action: string;
  amendment?: Amendment;
  detail?: string;
  entryIds?: string[];
}

interface AwardsData {
  history: HistoryLine[];
  proposalHash: string;
  publishedHash?: string;
  plan?: AwardPlanInput;
  finalRoundId?: string;
}

const hashOf = (v: unknown) => sha256(canonicalJson(v));
const chronological = (a: AuditRecord, b: AuditRecord) =>
  a.at.localeCompare(b.at) || a.shard - b.shard || a.seq - b.seq;

export const replayAwards = (allRecords: AuditRecord[]): AwardsReplay => {
  const records = [...allRecords].sort(chronological);
  const awards = records.filter((r) => r.subject === 'awards' && r.type.startsWith('AWARDS_'));
  if (!awards.length) throw conflict('AWARDS_NOT_PROPOSED', 'No award proposal is on the record');
  const steps: AwardStepReplay[] = [];
  let proposal: Proposal | undefined;
  let plan: AwardPlanInput | undefined;
  let finalRoundId: string | undefined;
  let published: Proposal['awards'] | undefined;
  const declined = new Set<string>();
  const declinedEntries = new Set<string>();
  for (const record of awards) {
    const d = record.data as unknown as AwardsData;
    for (const line of d.history) {
      if (line.action === 'PROPOSED' || line.action === 'RECOMPUTED') {
        if (!d.plan || !d.finalRoundId)
          throw conflict('NOT_REPLAYABLE', 'The proposal was recorded before proposals recorded their plan');
        plan = d.plan;
        finalRoundId = d.finalRoundId;
        proposal = allocateAwards(candidatesAt(records, finalRoundId, record), plan);
      } else if (line.amendment && proposal && plan) {
        proposal = applyAmendment(proposal, plan, line.amendment);
      } else if (line.action === 'SPONSOR_DECLINED' && line.entryIds) {
        for (const id of line.entryIds) declinedEntries.add(id); // a need's sponsor: its winners
      } else if (line.action === 'SPONSOR_DECLINED' && line.detail) {
        declined.add(line.detail);
      } else if (line.action === 'PUBLISHED' && proposal) {
        published = withoutDeclined(proposal.awards, { tracks: declined, entries: declinedEntries });
      }
    }
    if (!proposal) throw conflict('NOT_REPLAYABLE', `${record.type} comes before any proposal on the record`);
    const replayed = hashOf(proposal);
    steps.push({
      type: record.type,
      at: record.at,
      recorded: d.proposalHash,
      replayed,
      matches: replayed === d.proposalHash,
    });
    if (d.publishedHash) {
      const replayedPublished = published ? hashOf(published) : '';
      steps.push({
        type: `${record.type}:published`,
        at: record.at,
        recorded: d.publishedHash,
        replayed: replayedPublished,
        matches: replayedPublished === d.publishedHash,
      });
    }
  }
  return {
    finalRoundId: finalRoundId!,
    steps,
    matches: steps.every((s) => s.matches),
    proposal: proposal!,
    ...(published ? { published, publishedHash: hashOf(published) } : {}),
    proposalHash: hashOf(proposal),
  };
};

/**
 * The final round's replayed decisions as award candidates, as the proposal step read them: entries
 * withdrawn before `record` left out, each with its submission time as last recorded.
 */
const candidatesAt = (records: AuditRecord[], finalRoundId: string, record: AuditRecord) => {
  const withdrawn = new Set<string>();
  const submittedAt = new Map<string, string>();
  for (const r of records) {
    if (chronological(r, record) >= 0) break;
    if (r.type === 'ENTRY_WITHDRAWN') withdrawn.add(r.subject);
    const at = (r.data as { submittedAt?: string | null } | undefined)?.submittedAt;
    if ((r.type === 'ENTRY_SUBMITTED' || r.type === 'ENTRY_UPDATED') && at) submittedAt.set(r.subject, at);
  }
  return replayRound(records, finalRoundId)
    .decisions.filter((x) => !withdrawn.has(x.entryId))
    .map((x) => ({
      entryId: x.entryId,
      trackId: x.trackId,
      score: x.aggregate,
      criteria: x.criteria,
      submittedAt: submittedAt.get(x.entryId) ?? '',
    }));
};
