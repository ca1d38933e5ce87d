import { describe, expect, it } from 'vitest';
import { at, chain, type ChainEvent } from '../fixtures/audit-chain.ts';
import {
  type Amendment,
  type AwardPlanInput,
  allocateAwards,
  applyAmendment,
  DEFAULT_TIE_BREAK,
} from '../../shared/awards/allocation.ts';
import { replayAwards } from '../../shared/awards/replay.ts';
import { type TallyRules, tallyRound } from '../../shared/review/scoring.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';

type Event = ChainEvent;

const hashOf = (v: unknown) => sha256(canonicalJson(v));

const rules: TallyRules = {
  rubric: [
    { criterionId: 'innovation', weight: 60, minScore: 0, maxScore: 100 },
    { criterionId: 'team', weight: 40, minScore: 0, maxScore: 100 },
  ],
  aggregation: { kind: 'mean' },
  advancement: { topKPerTrack: 3 },
  carryPreviousWeight: 0,
};
const plan: AwardPlanInput = {
  tiers: [
    { tierId: 'gold', count: 1, scope: 'OVERALL', funded: true },
    { tierId: 'silver', count: 1, scope: 'PER_TRACK' },
  ],
  specialAwards: [
    { awardId: 'original', rule: { kind: 'BEST_ON_CRITERION', criterionId: 'innovation' }, mayCombineWithTier: false },
  ],
  tieBreak: DEFAULT_TIE_BREAK,
};

// Four entries in two tracks; E4 is withdrawn after the final's tally and before the proposal.
const entries = [
  { entryId: 'E1', trackId: 'ic', scores: { innovation: 90, team: 80 } },
  { entryId: 'E2', trackId: 'ic', scores: { innovation: 70, team: 95 } },
  { entryId: 'E3', trackId: 'ai', scores: { innovation: 99, team: 40 } },
  { entryId: 'E4', trackId: 'ai', scores: { innovation: 85, team: 85 } },
];
const events: Event[] = [
  ...entries.map((e, k) => ({
    type: 'ENTRY_SUBMITTED',
    subject: e.entryId,
    by: 'applicant',
    at: at(k + 1),
    data: { trackId: e.trackId, submittedAt: at(k + 1) },
  })),
  ...entries.map((e, k) => ({
    type: 'REVIEW_SUBMITTED',
    subject: `A${k}`,
    by: 'expert:x@example.com',
    at: at(10 + k),
    data: { roundId: 'final', entryId: e.entryId, trackId: e.trackId, scores: e.scores },
  })),
];
const tallied = tallyRound(
  rules,
  entries.map((e, k) => ({ entryId: e.entryId, trackId: e.trackId, submittedAt: at(k + 1) })),
  entries.map((e) => ({ entryId: e.entryId, reviewerId: 'x@example.com', scores: e.scores })),
);
const tally: Event = {
  type: 'ROUND_TALLIED',
  subject: 'final',
  by: 'review-workflow',
  at: at(20),
  data: { roundId: 'final', rules, previousRoundId: null, ...tallied },
};
const withdrawal: Event = {
  type: 'ENTRY_WITHDRAWN',
  subject: 'E4',
  by: 'organizer',
  at: at(21),
  data: { trackId: 'ai' },
};

// What the proposal step computed from the stored decisions (E4 withdrawn), then the organizer's amendment.
const candidates = tallied.decisions
  .filter((d) => d.entryId !== 'E4')
  .map((d) => ({
    entryId: d.entryId,
    trackId: d.trackId,
    score: d.aggregate,
    criteria: d.criteria,
    submittedAt: at(Number(d.entryId.slice(1))),
  }));
const proposed = allocateAwards(candidates, plan);
const amendment: Amendment = { op: 'REMOVE', entryId: 'E3', awardId: 'silver', reason: '材料存疑' };
const amended = applyAmendment(proposed, plan, amendment);
const published = amended.awards.filter((a) => !(a.kind === 'TIER' && a.trackId === 'ic'));

const awardEvents = (over: { proposalHash?: string; amendment?: Amendment; publishedHash?: string } = {}): Event[] => [
  {
    type: 'AWARDS_PROPOSED',
    subject: 'awards',
    by: 'award-workflow',
    at: at(30),
    data: {
      history: [{ action: 'PROPOSED' }],
      plan,
      finalRoundId: 'final',
      proposalHash: over.proposalHash ?? hashOf(proposed),
    },
  },
  {
    type: 'AWARDS_AMENDED_REMOVE',
    subject: 'awards',
    by: 'organizer',
    at: at(31),
    data: {
      history: [{ action: 'AMENDED_REMOVE', amendment: over.amendment ?? amendment }],
      proposalHash: hashOf(amended),
    },
  },
  {
    type: 'AWARDS_APPROVED',
    subject: 'awards',
    by: 'organizer',
    at: at(32),
    data: { history: [{ action: 'APPROVED' }], proposalHash: hashOf(amended) },
  },
  {
    type: 'AWARDS_SPONSOR_DECLINED',
    subject: 'awards',
    by: 'sponsor',
    at: at(33),
    data: { history: [{ action: 'SPONSOR_DECLINED', detail: 'ic' }], proposalHash: hashOf(amended) },
  },
  {
    type: 'AWARDS_PUBLISHED',
    subject: 'awards',
    by: 'award-workflow',
    at: at(34),
    data: {
      history: [{ action: 'PUBLISHED' }],
      proposalHash: hashOf(amended),
      publishedHash: over.publishedHash ?? hashOf(published),
    },
  },
];

describe('replaying the awards from the audit record', () => {
  it('recomputes the proposal, the amendment and the publication, each matching its recorded hash', () => {
    const r = replayAwards(chain([...events, tally, withdrawal, ...awardEvents()]));
    expect(r.steps.map((s) => [s.type, s.matches])).toEqual([
      ['AWARDS_PROPOSED', true],
      ['AWARDS_AMENDED_REMOVE', true],
      ['AWARDS_APPROVED', true],
      ['AWARDS_SPONSOR_DECLINED', true],
      ['AWARDS_PUBLISHED', true],
      ['AWARDS_PUBLISHED:published', true],
    ]);
    expect(r.matches).toBe(true);
    expect(r.proposal.ranking.map((x) => x.entryId)).not.toContain('E4'); // withdrawn before the proposal
    expect(r.published).toEqual(published);
    expect(published.some((a) => a.kind === 'TIER' && a.trackId === 'ic')).toBe(false); // the sponsor declined
  });

  it('names a proposal whose recorded result is not what its inputs give', () => {
    const bent = allocateAwards(
      candidates.map((c) => (c.entryId === 'E2' ? { ...c, score: 99 } : c)),
      plan,
    );
    const r = replayAwards(chain([...events, tally, withdrawal, ...awardEvents({ proposalHash: hashOf(bent) })]));
    expect(r.matches).toBe(false);
    expect(r.steps.find((s) => !s.matches)!.type).toBe('AWARDS_PROPOSED');
  });

  it('names an amendment on the record that does not lead to the recorded proposal', () => {
    const other: Amendment = { op: 'REMOVE', entryId: 'E1', awardId: 'gold', reason: '材料存疑' };
    const r = replayAwards(chain([...events, tally, withdrawal, ...awardEvents({ amendment: other })]));
    expect(r.steps.filter((s) => !s.matches).map((s) => s.type)[0]).toBe('AWARDS_AMENDED_REMOVE');
  });

  it('names a publication that is not the approved awards minus the declined tracks', () => {
    const r = replayAwards(
      chain([...events, tally, withdrawal, ...awardEvents({ publishedHash: hashOf(amended.awards) })]),
    );
    expect(r.steps.filter((s) => !s.matches).map((s) => s.type)).toEqual(['AWARDS_PUBLISHED:published']);
  });

  it('refuses a competition without a proposal on the record', () => {
    expect(() => replayAwards(chain([...events, tally]))).toThrow(/No award proposal/);
  });
});
