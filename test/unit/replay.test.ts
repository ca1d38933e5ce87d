import { describe, expect, it } from 'vitest';
import { at, chain } from '../fixtures/audit-chain.ts';
import { replayRound } from '../../shared/review/replay.ts';
import { type TallyRules, tallyRound } from '../../shared/review/scoring.ts';

const rules: TallyRules = {
  rubric: [
    { criterionId: 'innovation', weight: 60, minScore: 0, maxScore: 100 },
    { criterionId: 'team', weight: 40, minScore: 0, maxScore: 100 },
  ],
  aggregation: { kind: 'mean' },
  advancement: { topKPerTrack: 1 },
  carryPreviousWeight: 0,
};

const review = (
  type: string,
  assignment: string,
  entryId: string,
  by: string,
  m: number,
  scores?: Record<string, number>,
) => ({
  type,
  subject: assignment,
  by: `expert:${by}`,
  at: at(m),
  data: { roundId: 'prelim', entryId, trackId: 'ic', ...(scores ? { scores } : {}) },
});
const submitted = (entryId: string, m: number) => ({
  type: 'ENTRY_SUBMITTED',
  subject: entryId,
  by: 'applicant',
  at: at(m),
  data: { trackId: 'ic', submittedAt: at(m) },
});

describe('replaying a round from the audit record', () => {
  // E1 and E2 compete; E3 is withdrawn before the tally; a declined review and an edit on the way.
  const events = [
    submitted('E1', 1),
    submitted('E2', 2),
    submitted('E3', 3),
    review('REVIEW_SUBMITTED', 'A1', 'E1', 'x@example.com', 10, { innovation: 80, team: 70 }),
    review('REVIEW_SUBMITTED', 'A2', 'E2', 'x@example.com', 11, { innovation: 90, team: 90 }),
    review('REVIEW_SUBMITTED', 'A3', 'E3', 'y@example.com', 12, { innovation: 99, team: 99 }),
    review('REVIEW_DECLINED', 'A4', 'E1', 'y@example.com', 13),
    review('REVIEW_EDITED', 'A2', 'E2', 'x@example.com', 14, { innovation: 60, team: 60 }),
    { type: 'ENTRY_WITHDRAWN', subject: 'E3', by: 'organizer', at: at(15), data: { trackId: 'ic' } },
  ];
  // What the tally saw: E1 and E2 (E3 withdrawn), E2 with its edited scores.
  const tallied = tallyRound(
    rules,
    [
      { entryId: 'E1', trackId: 'ic', submittedAt: at(1) },
      { entryId: 'E2', trackId: 'ic', submittedAt: at(2) },
    ],
    [
      { entryId: 'E1', reviewerId: 'x@example.com', scores: { innovation: 80, team: 70 } },
      { entryId: 'E2', reviewerId: 'x@example.com', scores: { innovation: 60, team: 60 } },
    ],
  );
  const tally = {
    type: 'ROUND_TALLIED',
    subject: 'prelim',
    by: 'review-workflow',
    at: at(20),
    data: {
      roundId: 'prelim',
      rules,
      previousRoundId: null,
      inputsHash: tallied.inputsHash,
      decisionsHash: tallied.decisionsHash,
    },
  };

  it('reaches the tally’s inputs and decisions: latest scores, declined and withdrawn left out', () => {
    const r = replayRound(chain([...events, tally]), 'prelim');
    expect(r.matches).toBe(true);
    expect(r.decisions.map((d) => [d.entryId, d.aggregate, d.advanced])).toEqual([
      ['E1', 76, true],
      ['E2', 60, false],
    ]);
  });

  it('shows a difference when a review on the record differs from what the tally used', () => {
    const bent = events.map((e) =>
      e.subject === 'A2' && e.type === 'REVIEW_EDITED'
        ? { ...e, data: { ...e.data, scores: { innovation: 95, team: 95 } } }
        : e,
    );
    const r = replayRound(chain([...bent, tally]), 'prelim');
    expect(r.matches).toBe(false);
    expect(r.replayed.inputsHash).not.toBe(r.recorded.inputsHash);
    expect(r.decisions.find((d) => d.entryId === 'E2')!.advanced).toBe(true);
  });

  it('ignores what happened after the tally', () => {
    const late = review('REVIEW_EDITED', 'A1', 'E1', 'x@example.com', 30, { innovation: 0, team: 0 });
    expect(replayRound(chain([...events, tally, late]), 'prelim').matches).toBe(true);
  });

  it('refuses a round with no tally on the record', () => {
    expect(() => replayRound(chain(events), 'prelim')).toThrow(/no tally/);
  });
});
