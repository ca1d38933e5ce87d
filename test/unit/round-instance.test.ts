import { describe, expect, it } from 'vitest';
import { demoCompetition, demoEntry } from '../../infra/local/demo.ts';
import { buildProblem } from '../../shared/assignment/instance.ts';
import type { ReviewRound } from '../../shared/competition.ts';
import type { Entry } from '../../shared/entry.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { roundInstance } from '../../shared/review/round-instance.ts';

const expert = (email: string, institution: string): Expert =>
  ({
    email,
    name: email,
    institution,
    fields: ['IC'],
    keywords: [],
    languages: ['zh'],
    maxLoadPerRound: 5,
    conflicts: { organizations: [], applicants: [] },
  }) as unknown as Expert;

describe('conflicts of interest of a review round (回避)', () => {
  it('keeps the sponsor’s own people off the answers to its need (揭榜), and prefers the experts it nominated', () => {
    const competition = { ...demoCompetition(Date.now()), institutionAliases: [] } as never;
    const round = demoCompetition(Date.now()).rounds[1] as unknown as ReviewRound;
    const entries = [
      { ...demoEntry(), entryId: 'A', needId: 'N1' },
      { ...demoEntry({ applicant: { ...demoEntry().applicant, organizationName: '另一家公司' } }), entryId: 'B' },
    ] as unknown as Entry[];
    const experts = [expert('a@x.cn', '长三角企业1有限公司'), expert('b@x.cn', '某大学')];
    const instance = roundInstance(
      competition,
      round,
      entries,
      experts,
      new Map([['N1', { sponsor: '长三角企业1有限公司', nominated: ['b@x.cn', 'gone@x.cn'] }]]),
    );
    const { reasons } = buildProblem(instance);
    // Pair index = entry × experts + expert: entry A × expert a is the only conflict.
    expect([...reasons]).toEqual([[0, 'SPONSOR']]);
    // The expert the sponsor nominated (and who is in the pool) is the best match for the answer.
    expect(instance.affinity).toEqual([{ entry: 'A', reviewer: 'b@x.cn', value: 1 }]);
    // Without the need's sponsor, nothing keeps them apart.
    expect([...buildProblem(roundInstance(competition, round, entries, experts)).reasons]).toEqual([]);
  });
});
