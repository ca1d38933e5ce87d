import { describe, expect, it } from 'vitest';
import { applyProjectEvent, type Project, type ProjectEvent } from '../../shared/funding/project.ts';
import { managerView, renderWorkspacePage, reportIssues } from '../../shared/funding/workspace.ts';
import { projectFixture } from '../fixtures/projects.ts';

const active = (): Project =>
  run(
    projectFixture({ projectId: 'PRJ-1', title: '存算一体芯片 <b>' }),
    'organizer',
    { type: 'APPOINTMENT_ACCEPTED' },
    { type: 'MEETING_APPROVED', amount: '5000000', minutes: '专题会' },
  );
const run = (p: Project, by: string, ...events: ProjectEvent[]) =>
  events.reduce((acc, e, k) => applyProjectEvent(acc, e, by, `2026-09-0${k + 1}T00:00:00.000Z`), p);

describe('the project manager’s workspace', () => {
  it('shows which milestones are due, the organizer’s return with its reason, and payments — never who did what', () => {
    const p = run(
      active(),
      'arn:aws:iam::123456789012:user/organizer',
      { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: '原型完成' },
      { type: 'MILESTONE_REPORT_RETURNED', milestoneId: 'prototype', reason: '缺少测试报告: 请补充' },
      { type: 'MILESTONE_REPORTED', milestoneId: 'tapeout', summary: '流片完成' },
      { type: 'MILESTONE_ACCEPTED', milestoneId: 'tapeout' },
      { type: 'TRANCHE_DISBURSED', milestoneId: 'tapeout', amount: '3000000.00', reference: 'PAY-1' },
    );
    const v = managerView(p);
    expect(v.milestones).toEqual([
      expect.objectContaining({
        milestoneId: 'prototype',
        status: 'PLANNED',
        reportable: true,
        // The reason may hold ": " itself: only the milestone's prefix is taken off.
        returned: { at: '2026-09-02T00:00:00.000Z', reason: '缺少测试报告: 请补充' },
      }),
      expect.objectContaining({
        milestoneId: 'tapeout',
        status: 'PAID',
        reportable: false,
        paid: { amount: '3000000.00', at: '2026-09-05T00:00:00.000Z', reference: 'PAY-1' },
      }),
    ]);
    expect(v).toMatchObject({ disbursed: '3000000.00', remaining: '2000000.00', approvedAmount: '5000000.00' });
    expect(JSON.stringify(v)).not.toContain('arn:aws:iam');
    const html = renderWorkspacePage({
      lang: 'zh',
      action: '/project-manager/t',
      competitionTitle: { zh: '挑战赛' },
      view: v,
    });
    expect(html).toContain('缺少测试报告: 请补充');
    expect(html).toContain('存算一体芯片 &lt;b&gt;');
    expect(html.match(/<form /g)).toHaveLength(1); // only the returned milestone is due
    expect(html).toContain('name="milestoneId" value="prototype"');
  });

  it('shows the conversion with its arithmetic once a financing round converted the grant', () => {
    const p = run(
      active(),
      'organizer',
      { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: '原型' },
      { type: 'MILESTONE_ACCEPTED', milestoneId: 'prototype' },
      { type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '2000000.00' },
      {
        type: 'FINANCING_RECORDED',
        round: { roundSize: '20000000.00', preMoneyValuation: '100000000.00', fullyDilutedShares: '10000000' },
      },
    );
    const v = managerView(p);
    expect(v.status).toBe('CONVERTED');
    expect(v.conversion?.arithmetic.length).toBeGreaterThan(4);
    const html = renderWorkspacePage({ lang: 'en', action: '/x', competitionTitle: { zh: '挑战赛' }, view: v });
    expect(html).toContain('Conversion into equity');
    for (const step of v.conversion!.arithmetic) expect(html).toContain(step.replaceAll('&', '&amp;'));
    expect(html).not.toContain('<form '); // a converted project takes no report
  });

  it('checks a report as the API does: not blank, at most 4000 characters, no control characters', () => {
    expect(reportIssues('  ')).toEqual([expect.objectContaining({ path: 'summary' })]);
    expect(reportIssues(undefined)).toHaveLength(1);
    expect(reportIssues('x'.repeat(4001))).toHaveLength(1);
    expect(reportIssues('a\u0007b')).toHaveLength(1);
    expect(reportIssues('原型完成')).toEqual([]);
  });
});
