import { describe, expect, it } from 'vitest';
import { formatClose, renderMessage, type MessageModel } from '../../shared/review/messages.ts';

const base: MessageModel = {
  kind: 'ASSIGNED',
  language: 'zh',
  competitionTitle: { zh: '长三角创新挑战赛', en: 'YRD Innovation Challenge' },
  roundName: { zh: '初赛', en: 'Preliminary' },
  closesAt: '2026-07-10T16:00:00.000Z',
  links: [
    { assignmentId: 'A1', path: '/review/tok1' },
    { assignmentId: 'A2', path: '/review/tok2' },
  ],
};

describe('expert e-mails', () => {
  it('states the close in Beijing time in both languages', () => {
    expect(formatClose('2026-07-10T16:00:00.000Z', 'zh')).toBe('2026-07-11 00:00（北京时间）');
    expect(formatClose('2026-07-10T16:00:00.000Z', 'en')).toBe('2026-07-11 00:00 (UTC+8)');
  });

  it('lists every review link as an absolute URL, in the expert’s language', () => {
    const zh = renderMessage(base, 'https://api.example.com/');
    expect(zh.subject).toBe('【长三角创新挑战赛】初赛评审邀请（2 项）');
    expect(zh.text).toContain('1. https://api.example.com/review/tok1\n2. https://api.example.com/review/tok2');
    expect(zh.html).toContain('<a href="https://api.example.com/review/tok2">');
    const en = renderMessage({ ...base, language: 'en', links: [base.links[0]!] }, 'https://api.example.com');
    expect(en.subject).toBe('[YRD Innovation Challenge] Preliminary: 1 review for you');
    expect(en.text).toContain('before 2026-07-11 00:00 (UTC+8) through your personal link:');
  });

  it('words reminders with the time left and withdrawals without any link', () => {
    expect(renderMessage({ ...base, kind: 'REMINDER', hoursBefore: 24 }, 'https://x').subject).toBe(
      '【长三角创新挑战赛】评审提醒：距截止还有 24 小时',
    );
    expect(renderMessage({ ...base, kind: 'REMINDER', language: 'en', hoursBefore: 0.5 }, 'https://x').subject).toBe(
      '[YRD Innovation Challenge] Reminder: reviews close in 30 minutes',
    );
    const gone = renderMessage({ ...base, kind: 'WITHDRAWN', links: [{ assignmentId: 'A1' }] }, 'https://x');
    expect(gone.text).not.toContain('https://');
    expect(gone.text).toContain('原链接已失效');
  });

  it('gives an expert one link, to their page for the round, however many reviews the message is about', () => {
    const links = [
      { assignmentId: 'A1' },
      { assignmentId: 'A2' },
      { assignmentId: 'A3' },
      { assignmentId: 'H1', purpose: 'expert-home', path: '/experts/home-token' },
    ];
    const zh = renderMessage({ ...base, links, reviews: 3 }, 'https://api.example.com');
    expect(zh.subject).toBe('【长三角创新挑战赛】初赛评审邀请（3 项）');
    expect(zh.text.match(/https:\/\//g)).toHaveLength(1);
    expect(zh.text).toContain('1. https://api.example.com/experts/home-token');
    expect(zh.text).toContain('评审主页');
    const en = renderMessage(
      { ...base, language: 'en', kind: 'REMINDER', hoursBefore: 24, links, reviews: 3 },
      'https://x',
    );
    expect(en.text).toContain('You have 3 pending reviews');
    expect(en.text).toContain('Your page lists each review');
    const gone = renderMessage(
      { ...base, kind: 'WITHDRAWN', links: [{ assignmentId: 'A1' }, links[3]!], reviews: 1 },
      'https://x',
    );
    expect(gone.text).toContain('https://x/experts/home-token');
    expect(gone.text).toContain('1 项评审已转交候补专家');
  });

  it('escapes stored text in the HTML part', () => {
    const m = renderMessage({ ...base, competitionTitle: { zh: '<b>赛</b>' } }, 'https://x');
    expect(m.html).toContain('&lt;b&gt;赛&lt;/b&gt;');
    expect(m.html).not.toContain('<b>赛');
  });
});
