import type { AuditRecord } from '../audit.ts';
import { conflict } from '../errors.ts';
import { type Review, type TallyEntry, type TallyRules, tallyRound } from './scoring.ts';

/**
 * Replays a round's tally from the audit record alone: the rules the tally
 * recorded, the reviews as last submitted before it (declined ones dropped),
 * the entries they score (submission times from the record; withdrawn and,
 * in a first review round, ineligible entries left out, as the tally left
 * them out) and, for a round that carries earlier scores, the previous round
 * replayed the same way. Anyone with the record gets the same decisions, or
 * sees where they differ.
 */
export interface RoundReplay {
  roundId: string;
  recorded: { inputsHash: string; decisionsHash: string };
  replayed: { inputsHash: string; decisionsHash: string };
  matches: boolean;
  decisions: ReturnType<typeof tallyRound>['decisions'];
}

interface TallyData {
  roundId: string;
  rules?: TallyRules;
  previousRoundId?: string | null;
  inputsHash: string;
  decisionsHash: string;
}

const chronological = (a: AuditRecord, b: AuditRecord) =>
  a.at.localeCompare(b.at) || a.shard - b.shard || a.seq - b.seq;

export const replayRound = (records: AuditRecord[], roundId: string): RoundReplay => {
  const tally = records.filter((r) => r.type === 'ROUND_TALLIED' && r.data?.roundId === roundId).at(-1);
  if (!tally) throw conflict('ROUND_NOT_TALLIED', `Round "${roundId}" has no tally on the record`);
  const t = tally.data as unknown as TallyData;
  if (!t.rules) throw conflict('NOT_REPLAYABLE', `Round "${roundId}" was tallied before tallies recorded their rules`);
  const before = records.filter((r) => r.at <= tally.at).sort(chronological);

  const entries = new Map<string, { submittedAt?: string; withdrawn: boolean; ineligible: boolean }>();
  const reviews = new Map<string, Review & { trackId: string }>();
  for (const r of before) {
    const d = (r.data ?? {}) as Record<string, unknown>;
    const entry = entries.get(r.subject) ?? { withdrawn: false, ineligible: false };
    if (r.type === 'ENTRY_SUBMITTED' || r.type === 'ENTRY_UPDATED') {
      entries.set(r.subject, { ...entry, submittedAt: (d.submittedAt as string | null) ?? entry.submittedAt });
    } else if (r.type === 'ENTRY_WITHDRAWN') {
      entries.set(r.subject, { ...entry, withdrawn: true });
    } else if (r.type === 'SCREENING_OVERRIDDEN') {
      entries.set(r.subject, { ...entry, ineligible: d.to === 'INELIGIBLE' });
    } else if (r.type === 'ENTRIES_SCREENED') {
      for (const x of d.results as Array<{ entryId: string; outcome: string }>) {
        const e = entries.get(x.entryId) ?? { withdrawn: false, ineligible: false };
        entries.set(x.entryId, { ...e, ineligible: x.outcome === 'INELIGIBLE' });
      }
    } else if (d.roundId === roundId && (r.type === 'REVIEW_SUBMITTED' || r.type === 'REVIEW_EDITED')) {
      const reviewerId = r.by.replace(/^expert:/, '');
      const scores = d.scores as Record<string, number>;
      reviews.set(r.subject, { entryId: d.entryId as string, trackId: d.trackId as string, reviewerId, scores });
    } else if (d.roundId === roundId && r.type === 'REVIEW_DECLINED') {
      reviews.delete(r.subject);
    }
  }

  const previous =
    t.previousRoundId && t.rules.carryPreviousWeight > 0
      ? new Map(replayRound(records, t.previousRoundId).decisions.map((x) => [x.entryId, x.aggregate]))
      : undefined;
  const scored = new Map<string, TallyEntry>();
  for (const rv of reviews.values()) {
    const e = entries.get(rv.entryId);
    if (e?.withdrawn || (e?.ineligible && !t.previousRoundId)) continue;
    scored.set(rv.entryId, {
      entryId: rv.entryId,
      trackId: rv.trackId,
      submittedAt: e?.submittedAt ?? '',
      previousAggregate: previous?.get(rv.entryId),
    });
  }
  const counted = [...reviews.values()]
    .filter((rv) => scored.has(rv.entryId))
    .map(({ entryId, reviewerId, scores }) => ({ entryId, reviewerId, scores }));
  const out = tallyRound(t.rules, [...scored.values()], counted);
  return {
    roundId,
    recorded: { inputsHash: t.inputsHash, decisionsHash: t.decisionsHash },
    replayed: { inputsHash: out.inputsHash, decisionsHash: out.decisionsHash },
    matches: out.inputsHash === t.inputsHash && out.decisionsHash === t.decisionsHash,
    decisions: out.decisions,
  };
};
