import { describe, expect, it } from 'vitest';
import { applicantNoticeDetails, applicantNoticeKey, type ApplicantEvent } from '../../shared/applicant-notices.ts';
import { createCompetitionBody, type Competition } from '../../shared/competition.ts';
import { renderMessage } from '../../shared/review/messages.ts';
import { applicantNotice } from '../../functions/services/notifications.ts';
import { competitionFixture } from '../fixtures/competition.ts';

const competition = (applicants?: boolean): Competition =>
  ({
    ...createCompetitionBody.parse({
      ...competitionFixture({ id: 'n-1', deadline: Date.parse('2026-12-20T10:00:00Z') }),
      ...(applicants === undefined ? {} : { notifications: { applicants } }),
    }),
    competitionId: 'n-1',
  }) as Competition;
const entry = {
  entryId: '01JNOTICE0000000000000000A',
  title: '低功耗芯片',
  trackId: 'ic',
  language: 'en' as const,
  applicant: { lead: { name: 'Li', email: 'li@example.org' } },
} as Parameters<typeof applicantNotice>[1];
const AT = new Date('2026-12-21T08:00:00Z');

describe('applicant notices', () => {
  it('are keyed once per entry and event: a round per round, an award per award', () => {
    const round = (roundId: string): ApplicantEvent => ({
      kind: 'ROUND_RESULT',
      roundId,
      roundName: { zh: roundId },
      advanced: true,
      trackRank: 1,
    });
    const keys = [
      applicantNoticeKey('E1', { kind: 'ENTRY_SUBMITTED' }),
      applicantNoticeKey('E1', { kind: 'SCREENING_RESULT', screening: { outcome: 'ELIGIBLE', failures: [] } }),
      applicantNoticeKey('E1', round('preliminary')),
      applicantNoticeKey('E1', round('final')),
      applicantNoticeKey('E1', { kind: 'AWARD_WON', awardId: 'grand', awardName: { zh: '特等奖' } }),
      applicantNoticeKey('E1', { kind: 'AWARD_WON', awardId: 'original', awardName: { zh: '原始创新奖' } }),
      applicantNoticeKey('E2', { kind: 'ENTRY_SUBMITTED' }),
      // Each override of the screening is its own event (the entry's version names it).
      applicantNoticeKey('E1', { kind: 'SCREENING_OVERRIDDEN', outcome: 'ELIGIBLE', reason: 'r', version: 4 }),
      applicantNoticeKey('E1', { kind: 'SCREENING_OVERRIDDEN', outcome: 'INELIGIBLE', reason: 'r', version: 5 }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(applicantNoticeKey('E1', round('final'))).toBe(applicantNoticeKey('E1', round('final')));
  });

  it('tell an applicant of an organizer’s correction with its reason and the next round', () => {
    const details = applicantNoticeDetails(
      { entryId: 'E1', title: 'T', trackName: { zh: '集成电路', en: 'Integrated circuits' } },
      {
        kind: 'SCREENING_OVERRIDDEN',
        outcome: 'ELIGIBLE',
        reason: '已在上海设立子公司',
        version: 4,
        nextRound: { zh: '初赛', en: 'preliminary' },
      },
      'zh',
    );
    expect(details.slice(-2)).toEqual(['更正后结果：通过形式审查，进入初赛', '组委会复核意见：已在上海设立子公司']);
  });

  it('list the rules an ineligible entry failed, in the applicant’s language', () => {
    const screening = {
      outcome: 'INELIGIBLE' as const,
      failures: [
        { rule: 'requiredDocument:BUSINESS_PLAN', reason: { zh: '缺少商业计划书', en: 'Business plan missing' } },
      ],
    };
    const details = (lang: 'zh' | 'en') =>
      applicantNoticeDetails(
        { entryId: 'E1', title: 'T', trackName: { zh: '集成电路', en: 'Integrated circuits' } },
        { kind: 'SCREENING_RESULT', screening },
        lang,
      );
    expect(details('en')).toEqual([
      'Entry: T',
      'Track: Integrated circuits',
      'Entry id: E1',
      'Result: not eligible. Requirements not met:',
      '  – Business plan missing',
    ]);
    expect(details('zh').at(-1)).toBe('  – 缺少商业计划书');
  });

  it('say whether the entry advances, to which round, and its rank; after the last round, the awards', () => {
    const line = (advanced: boolean, nextRound?: { zh: string; en: string }) =>
      applicantNoticeDetails(
        { entryId: 'E1', title: 'T', trackName: { zh: 'x' } },
        {
          kind: 'ROUND_RESULT',
          roundId: 'r',
          roundName: { zh: '初赛', en: 'preliminary' },
          advanced,
          trackRank: 3,
          nextRound,
        },
        'en',
      ).at(-1);
    expect(line(true, { zh: '决赛', en: 'final' })).toBe('Result: advances to the final (rank 3 in its track)');
    expect(line(true)).toBe('Result: shortlisted for the awards (rank 3 in its track)');
    expect(line(false, { zh: '决赛', en: 'final' })).toBe('Result: does not advance (rank 3 in its track)');
  });

  it('remind the applicant of the access token on submission, until the deadline, and never carry one', () => {
    const m = applicantNotice(competition(), entry, { kind: 'ENTRY_SUBMITTED' }, AT)!;
    expect(m).toMatchObject({
      kind: 'ENTRY_SUBMITTED',
      expertEmail: 'li@example.org',
      roundId: 'intake',
      language: 'en',
      closesAt: '2026-12-20T10:00:00.000Z',
      links: [],
    });
    const mail = renderMessage(
      {
        kind: m.kind,
        language: m.language,
        competitionTitle: { zh: '挑战赛', en: 'Challenge' },
        roundName: { zh: '申报' },
        closesAt: m.closesAt,
        links: [],
        details: m.details,
      },
      'https://example.org',
    );
    expect(mail.subject).toBe('[Challenge] Entry submitted');
    expect(mail.text).toContain('access token you received when you created it');
    expect(mail.text).toContain('2026-12-20 18:00 (UTC+8)');
    expect(mail.text).toContain(`Entry id: ${entry.entryId}`);
  });

  it('are not sent where the competition switched them off (and are, by default)', () => {
    expect(applicantNotice(competition(false), entry, { kind: 'ENTRY_SUBMITTED' }, AT)).toBeUndefined();
    expect(applicantNotice(competition(true), entry, { kind: 'ENTRY_SUBMITTED' }, AT)).toBeDefined();
    expect(competition().notifications).toEqual({ applicants: true });
  });
});
