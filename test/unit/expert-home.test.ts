import { describe, expect, it } from 'vitest';
import {
  expertHomeFormBody,
  expertHomeFormIssues,
  homeItemStatus,
  homeProgress,
  renderExpertHome,
  type ExpertHomeModel,
} from '../../shared/review/expert-home.ts';

const model: ExpertHomeModel = {
  lang: 'zh',
  action: '/experts/tok',
  competitionTitle: { zh: '长三角创新挑战赛', en: 'YRD Innovation Challenge' },
  roundName: { zh: '初赛', en: 'Preliminary' },
  closesAt: '2026-07-10T16:00:00.000Z',
  blind: false,
  open: true,
  frozen: false,
  items: [
    {
      title: '芯片 <script>',
      track: { zh: '集成电路', en: 'IC' },
      status: 'submitted',
      documents: 2,
      href: '/review/a',
    },
    { title: '视觉', track: { zh: '人工智能', en: 'AI' }, status: 'draft', documents: 1, href: '/review/b' },
    { title: '抗体', track: { zh: '生物医药' }, status: 'pending', documents: 0, href: '/review/c' },
    { title: '回避', track: { zh: '集成电路' }, status: 'declined', documents: 0, href: '/review/d' },
    { title: '收回', track: { zh: '集成电路' }, status: 'withdrawn', documents: 3 },
  ],
};

describe('the expert’s home', () => {
  it('names each assignment’s state as the expert sees it', () => {
    expect(homeItemStatus({ status: 'PENDING' })).toBe('pending');
    expect(homeItemStatus({ status: 'PENDING', draft: { scores: {} } })).toBe('draft');
    expect(homeItemStatus({ status: 'SUBMITTED', draft: { scores: {} } })).toBe('submitted');
    expect(homeItemStatus({ status: 'DECLINED' })).toBe('declined');
    expect(homeItemStatus({ status: 'REVOKED' })).toBe('withdrawn');
  });

  it('counts progress against the reviews still expected (declined and withdrawn ones leave the total)', () => {
    expect(homeProgress(model.items.map((i) => i.status))).toEqual({ submitted: 1, expected: 3 });
    expect(homeProgress([])).toEqual({ submitted: 0, expected: 0 });
  });

  it('lists every review with status, track, documents and its link; escapes stored text', () => {
    const html = renderExpertHome(model);
    expect(html).toContain('已提交 1 / 3 项');
    expect(html).toContain('2026-07-11 00:00（北京时间）');
    expect(html.match(/<tr>/g)).toHaveLength(6);
    expect(html).toContain('芯片 &lt;script&gt;');
    expect(html).not.toContain('<script>');
    for (const href of ['/review/a', '/review/b', '/review/c', '/review/d']) expect(html).toContain(`href="${href}"`);
    expect(html).toContain('status-withdrawn">已收回');
    expect(html).toContain('<form method="post" action="/experts/tok"');
    expect(html).toContain('name="reason"');
    const en = renderExpertHome({ ...model, lang: 'en' });
    expect(en).toContain('1 of 3 submitted');
    expect(en).toContain('data-label="Track">AI</td>');
    expect(en).toContain('生物医药'); // a track without an English name keeps its Chinese one
    expect(en).toContain('value="en" aria-pressed="true"');
  });

  it('offers no decline once the round is closed, tallied, declined or done', () => {
    for (const m of [
      { ...model, open: false },
      { ...model, open: false, frozen: true },
      { ...model, declined: { at: '2026-07-01T00:00:00.000Z', reason: '出差' } },
      { ...model, items: model.items.filter((i) => i.status !== 'pending' && i.status !== 'draft') },
    ])
      expect(renderExpertHome(m)).not.toContain('name="reason"');
    expect(renderExpertHome({ ...model, open: false, frozen: true })).toContain('本轮评审已计分');
    expect(renderExpertHome({ ...model, declined: { at: '2026-07-01T00:00:00.000Z' } })).toContain(
      '您已于 2026-07-01 08:00（北京时间）婉拒本轮评审',
    );
    expect(renderExpertHome({ ...model, blind: true })).toContain('本轮为盲评');
  });

  it('checks the forms: a language needs zh or en, a decline a reason; nothing else is accepted', () => {
    expect(expertHomeFormIssues({ action: 'language' })).toEqual([expect.objectContaining({ path: 'lang' })]);
    expect(expertHomeFormIssues({ action: 'language', lang: 'en' })).toEqual([]);
    expect(expertHomeFormIssues({ action: 'decline', reason: ' ' })).toEqual([
      expect.objectContaining({ path: 'reason' }),
    ]);
    expect(expertHomeFormIssues({ action: 'decline', reason: '本轮出差' })).toEqual([]);
    expect(expertHomeFormBody.safeParse({ action: 'delete' }).success).toBe(false);
    expect(expertHomeFormBody.safeParse({ action: 'language', lang: 'fr' }).success).toBe(false);
    expect(expertHomeFormBody.safeParse({ action: 'decline', reason: 'x'.repeat(1001) }).success).toBe(false);
    expect(expertHomeFormBody.safeParse({ action: 'decline', extra: '1' }).success).toBe(false);
  });
});
