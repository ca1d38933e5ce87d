import type { Competition, Round } from '../competition.ts';
import type { Entry } from '../entry.ts';
import { assertSolvableSize, type AssignmentInstance } from '../assignment/instance.ts';
import type { Expert } from './experts.ts';

/**
 * The assignment instance of a review round, from stored records: the round's
 * eligible entries and the expert pool. Conflicts of interest (回避) come from
 * the data — applicant organization vs the expert's institution (with the
 * competition's aliases), the challenge sponsor or the sponsor of the need an
 * entry answers (揭榜: `needs`, by need id), the expert's declared
 * organizations and applicants, and an expert who is the entry's lead.
 * A round too large to solve within the functions' memory is refused here.
 */
export const roundInstance = (
  competition: Competition,
  round: Extract<Round, { reviewersPerEntry: number }>,
  entries: Entry[],
  experts: Expert[],
  /** The needs the entries answer: each one's sponsor and the experts its sponsor nominated. */
  needs: ReadonlyMap<string, { sponsor: string; nominated?: string[] }> = new Map(),
): AssignmentInstance => {
  assertSolvableSize(entries.length, experts.length);
  const trackOf = new Map(competition.tracks.map((t) => [t.trackId, t]));
  const pool = new Set(experts.map((x) => x.email));
  return {
    reviewsPerEntry: round.reviewersPerEntry,
    weakThreshold: 0.5,
    mode: 'optimal',
    seed: 1,
    entries: entries.map((e) => {
      const track = trackOf.get(e.trackId);
      return {
        id: e.entryId,
        field: track?.field,
        keywords: e.keywords ?? [],
        languages: [e.language ?? 'zh'],
        institution: e.applicant.organizationName,
        sponsor:
          (e.needId ? needs.get(e.needId)?.sponsor : undefined) ??
          (track?.kind === 'CHALLENGE' ? track.sponsor.organizationName : undefined),
        applicants: [e.applicant.lead.email, e.applicant.lead.name],
      };
    }),
    reviewers: experts.map((x) => ({
      id: x.email,
      email: x.email,
      fields: x.fields,
      keywords: x.keywords,
      languages: x.languages,
      institution: x.institution,
      cap: x.maxLoadPerRound,
      declaredConflicts: [...x.conflicts.organizations, ...x.conflicts.applicants],
    })),
    institutionAliases: competition.institutionAliases,
    conflicts: [],
    // An expert the need's sponsor nominated is the best match for the answers to that need (conflicts
    // still apply: a nominated expert from the solver's own institution does not review it).
    affinity: entries.flatMap((e) => {
      const nominated = e.needId ? (needs.get(e.needId)?.nominated ?? []) : [];
      return nominated.filter((x) => pool.has(x)).map((x) => ({ entry: e.entryId, reviewer: x, value: 1 }));
    }),
  };
};
