import { describe, expect, it } from 'vitest';
import { type Deal, type Meeting, correctDeal, meetingStep } from '../../shared/matching.ts';
import { needStatistics, statisticsCsv, yuan } from '../../shared/need-statistics.ts';

const need = (needId: string, over: Record<string, unknown> = {}) => ({
  needId,
  status: 'PUBLISHED' as const,
  field: 'IC' as const,
  sponsorRegion: 'CN-SH',
  intendedInvestment: '0.10',
  submittedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('need statistics', () => {
  it('sums money exactly in fen (0.10 + 0.20 is 0.30, and 15-digit amounts do not lose precision)', () => {
    const s = needStatistics({
      needs: [
        need('a'),
        need('b', { intendedInvestment: '0.20' }),
        need('c', { intendedInvestment: '999999999999999.99' }),
      ],
      answers: [],
      entries: new Map(),
      meetings: [],
      deals: [
        { needId: 'a', status: 'SIGNED', amount: '999999999999999.99' },
        { needId: 'a', status: 'SIGNED', amount: '0.01' },
        { needId: 'b', status: 'FAILED', amount: '5' },
      ],
    });
    expect(s.total.intendedInvestment).toBe('1000000000000000.29');
    expect(s.total.contractAmount).toBe('1000000000000000.00');
    expect(s.total.dealsSigned).toBe(2);
    expect(s.total.needs.signed).toBe(1);
    expect(yuan(5n)).toBe('0.05');
  });

  it('counts answers of submitted entries only, organizations once, cross-region by province and abroad by country', () => {
    const entries = new Map([
      ['e1', { counted: true, organizationKey: 'code:1', region: 'CN-JS' }],
      ['e2', { counted: true, organizationKey: 'code:1', region: 'CN-JS' }],
      ['e3', { counted: true, organizationKey: 'name:lion', region: 'SG' }],
      ['e4', { counted: false, organizationKey: 'name:draft', region: 'CN-ZJ' }],
      ['e5', { counted: false, organizationKey: 'name:gone', region: 'CN-ZJ' }],
      ['e6', { counted: true, organizationKey: 'name:local', region: 'CN-SH' }],
      ['e7', { counted: true, organizationKey: 'name:country', region: 'CN' }],
    ]);
    const s = needStatistics({
      needs: [need('a'), need('b', { field: 'AI', sponsorRegion: 'CN-JS', submittedAt: undefined, status: 'DRAFT' })],
      answers: [
        { needId: 'a', entryId: 'e1', status: 'SHORTLISTED' },
        { needId: 'b', entryId: 'e2', status: 'ANSWERED' },
        { needId: 'a', entryId: 'e3', status: 'DECLINED' },
        { needId: 'a', entryId: 'e4', status: 'ANSWERED' },
        { needId: 'a', entryId: 'e5', status: 'ANSWERED' },
        { needId: 'a', entryId: 'e6', status: 'ANSWERED' },
        { needId: 'a', entryId: 'e7', status: 'ANSWERED' },
        { needId: 'gone', entryId: 'e1', status: 'ANSWERED' }, // a need that is not listed is not counted
      ],
      entries,
      meetings: [
        { needId: 'a', status: 'HELD' },
        { needId: 'a', status: 'ACCEPTED' },
      ],
      deals: [],
    });
    expect(s.total).toMatchObject({
      needs: { collected: 1, published: 1, answered: 2, matched: 1, signed: 0 },
      answers: 5,
      shortlisted: 1,
      answeringOrganizations: { total: 4, crossRegion: 1, fromAbroad: 1 },
      meetingsHeld: 1,
    });
    // The Jiangsu org answered a Jiangsu need in AI: not cross-region there.
    expect(s.byField.AI!.answeringOrganizations).toEqual({ total: 1, crossRegion: 0, fromAbroad: 0 });
    expect(s.bySponsorRegion['CN-SH']!.answeringOrganizations).toEqual({ total: 4, crossRegion: 1, fromAbroad: 1 });
    const csv = statisticsCsv(s).split('\r\n');
    expect(csv[0]!.startsWith('\uFEFFgroup,key,needs_collected')).toBe(true);
    expect(csv[1]).toBe('total,,1,1,2,1,0,0.10,5,1,4,1,1,1,0,0.00');
  });
});

const meeting: Meeting = {
  startsAt: '2026-06-01T10:00:00.000Z',
  durationMinutes: 60,
  format: 'ONLINE',
  link: 'https://m.example.com/1',
  attendees: [{ name: 'w', side: 'SPONSOR' }],
  meetingId: 'm',
  needId: 'n',
  entryId: 'e',
  competitionId: 'c',
  status: 'PROPOSED',
  proposedAt: '',
  updatedAt: '',
  history: [],
  version: 1,
};

describe('meeting steps', () => {
  const before = new Date('2026-05-01T00:00:00Z');
  const after = new Date('2026-06-01T11:00:00Z');
  it('follows PROPOSED → ACCEPTED → HELD, repeats change nothing, and refuses the rest with 409', () => {
    const accepted = meetingStep(meeting, 'SOLVER', 'ACCEPT', before)!;
    expect(accepted.status).toBe('ACCEPTED');
    expect(meetingStep(accepted, 'SOLVER', 'ACCEPT', before)).toBeUndefined();
    expect(() => meetingStep(accepted, 'SOLVER', 'DECLINE', before, 'x')).toThrow(/cannot be declined/);
    expect(() => meetingStep(accepted, 'SPONSOR', 'HELD', before)).toThrow(/begins at/);
    expect(() => meetingStep(meeting, 'SPONSOR', 'HELD', after)).toThrow(/PROPOSED cannot be held/);
    const held = meetingStep(accepted, 'SPONSOR', 'HELD', after, 'ok')!;
    expect(held).toMatchObject({ status: 'HELD', outcomeNotes: 'ok' });
    expect(held.history.map((h) => h.action)).toEqual(['ACCEPT', 'HELD']);
  });
});

describe('deal corrections', () => {
  const deal: Deal = {
    entryId: 'e',
    contractType: 'TECH_LICENSE',
    amount: { amount: '100', currency: 'CNY' },
    signedOn: '2026-01-01',
    landing: { region: 'CN-SH', city: '上海' },
    dealId: 'd',
    needId: 'n',
    competitionId: 'c',
    status: 'SIGNED',
    recordedAt: '',
    updatedAt: '',
    history: [],
    version: 1,
  };
  const at = new Date('2026-02-01T00:00:00Z');
  it('keeps only what changed as the previous terms; the same correction again changes nothing', () => {
    const c = { amount: { amount: '120', currency: 'CNY' as const }, signedOn: '2026-01-01', reason: '补充协议' };
    const next = correctDeal(deal, c, { by: 'SPONSOR' }, at)!;
    expect(next.amount.amount).toBe('120');
    expect(next.history[0]).toEqual({
      at: at.toISOString(),
      by: 'SPONSOR',
      action: 'CORRECTED',
      reason: '补充协议',
      status: 'SIGNED',
      previous: { amount: { amount: '100', currency: 'CNY' } },
    });
    expect(correctDeal(next, c, { by: 'SPONSOR' }, at)).toBeUndefined();
    // A map read back from DynamoDB may hold its keys in another order: still the same terms.
    const stored = { ...next, landing: { city: '上海', region: 'CN-SH' } };
    expect(
      correctDeal(stored, { landing: { region: 'CN-SH', city: '上海' }, reason: 'x' }, { by: 'SPONSOR' }, at),
    ).toBeUndefined();
  });
});
