import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  applyProjectEvent,
  portfolioStats,
  splitTranches,
  TransitionError,
  type Project,
  type ProjectEvent,
} from '../../shared/funding/project.ts';
import { projectFixture } from '../fixtures/projects.ts';

const AT = '2026-09-01T00:00:00.000Z';
const base = (): Project => projectFixture();
const run = (p: Project, ...events: ProjectEvent[]) =>
  events.reduce((acc, e) => applyProjectEvent(acc, e, 'organizer@center', AT), p);

describe('funded project lifecycle', () => {
  it('goes from appointment through the meeting to ACTIVE, rescaling tranches to the approved amount exactly', () => {
    // Approved 4,000,000.00 instead of 5,000,000.00: tranches keep 40 % / 60 % → 1,600,000.00 + 2,400,000.00.
    const p = run(
      base(),
      { type: 'APPOINTMENT_ACCEPTED' },
      { type: 'MEETING_APPROVED', amount: '4000000', minutes: '专题会 2026-08-30 决议' },
    );
    expect(p).toMatchObject({ status: 'ACTIVE', approvedAmount: '4000000.00', version: 3 });
    expect(p.milestones.map((m) => m.trancheAmount)).toEqual(['1600000.00', '2400000.00']);
    expect(p.log.map((l) => l.event)).toEqual(['APPOINTMENT_ACCEPTED', 'MEETING_APPROVED']);
  });

  it('splits to the cent and gives the remainder to the last tranche', () => {
    expect(splitTranches('1000000.01', [33.33, 33.33, 33.34])).toEqual(['333300.00', '333300.00', '333400.01']);
    expect(splitTranches('100.00', [50, 50])).toEqual(['50.00', '50.00']);
  });

  it('pays a tranche only after its milestone is reported and accepted, never beyond the tranche or the budget', () => {
    let p = run(
      base(),
      { type: 'APPOINTMENT_ACCEPTED' },
      { type: 'MEETING_APPROVED', amount: '5000000.00', minutes: 'ok' },
    );
    const refused = (e: ProjectEvent) => {
      try {
        applyProjectEvent(p, e, 'o', AT);
      } catch (err) {
        return { code: (err as TransitionError).code, allowed: (err as TransitionError).allowed };
      }
      return 'accepted';
    };
    expect(refused({ type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '2000000.00' })).toEqual({
      code: 'INVALID_TRANSITION',
      allowed: [
        'MILESTONE_REPORTED:prototype',
        'MILESTONE_REPORTED:tapeout',
        'FINANCING_RECORDED',
        'RESEARCH_COMPLETED',
        'CLOSED_LENIENT',
      ],
    });
    p = run(
      p,
      { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: '原型验证通过' },
      { type: 'MILESTONE_ACCEPTED', milestoneId: 'prototype' },
    );
    expect(refused({ type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '2000000.01' })).toMatchObject({
      code: 'BUDGET_EXCEEDED',
    });
    p = run(p, { type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '2000000.00', reference: 'PAY-001' });
    expect(p.disbursed).toBe('2000000.00');
    expect(refused({ type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '1.00' })).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    expect(refused({ type: 'MILESTONE_REPORTED', milestoneId: 'nope', summary: 'x' })).toMatchObject({
      code: 'UNKNOWN_MILESTONE',
    });
  });

  it('converts the disbursed grant on a qualifying financing round and records the arithmetic; later rounds do not convert again', () => {
    let p = run(
      base(),
      { type: 'APPOINTMENT_ACCEPTED' },
      { type: 'MEETING_APPROVED', amount: '5000000.00', minutes: 'ok' },
      { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: 's' },
      { type: 'MILESTONE_ACCEPTED', milestoneId: 'prototype' },
      { type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '2000000.00' },
    );
    // 2,000,000.00 disbursed converts; cap price 60,000,000 ÷ 10,000,000 = 6.00 beats 8.00 (discount) and 10.00:
    // shares = floor(2,000,000 ÷ 6) = 333,333, remainder 2,000,000 − 1,999,998 = 2.00;
    // ownership = 333,333 ÷ (10,000,000 + 2,000,000 + 333,333) = 2.7027 %.
    p = run(p, {
      type: 'FINANCING_RECORDED',
      round: { roundSize: '20000000.00', preMoneyValuation: '100000000.00', fullyDilutedShares: '10000000' },
      investor: '某创投基金',
    });
    expect(p.status).toBe('CONVERTED');
    expect(p.conversion).toMatchObject({
      convertingAmount: '2000000.00',
      appliedTerm: 'VALUATION_CAP',
      shares: '333333',
      unconvertedRemainder: '2.00',
      ownershipPercent: '2.7027',
    });
    p = run(p, {
      type: 'FINANCING_RECORDED',
      round: { roundSize: '50000000.00', pricePerShare: '20', fullyDilutedShares: '12333333' },
    });
    expect(p.financing[1]!.outcome).toEqual({ qualifies: false, reason: 'the grant has already converted' });
    expect(allowedEvents(p)).toEqual(['FINANCING_RECORDED']);
  });

  it('closes leniently (宽容结题) with the unspent balance, and the portfolio counts it', () => {
    const active = run(
      base(),
      { type: 'APPOINTMENT_ACCEPTED' },
      { type: 'MEETING_APPROVED', amount: '5000000.00', minutes: 'ok' },
    );
    const paid = run(
      active,
      { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: 's' },
      { type: 'MILESTONE_ACCEPTED', milestoneId: 'prototype' },
      { type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '1500000.00' },
    );
    const lenient = run(paid, { type: 'CLOSED_LENIENT', reason: '技术路线未达预期，团队已尽职' });
    expect(lenient.closeOut).toMatchObject({ kind: 'LENIENT', unspentBalance: '3500000.00' });
    expect(() => run(lenient, { type: 'MILESTONE_REPORTED', milestoneId: 'tapeout', summary: 'late' })).toThrow(
      TransitionError,
    );
    const converted = run(
      active,
      { type: 'MILESTONE_REPORTED', milestoneId: 'prototype', summary: 's' },
      { type: 'MILESTONE_ACCEPTED', milestoneId: 'prototype' },
      { type: 'TRANCHE_DISBURSED', milestoneId: 'prototype', amount: '2000000.00' },
      {
        type: 'FINANCING_RECORDED',
        round: { roundSize: '20000000.00', preMoneyValuation: '100000000.00', fullyDilutedShares: '10000000' },
      },
    );
    const declined = run(base(), { type: 'APPOINTMENT_DECLINED', reason: '个人原因' });
    expect(portfolioStats([lenient, converted, declined, active])).toEqual({
      projectsSupported: 3,
      active: 1,
      researchCompleted: 0,
      convertedToEquity: 1,
      closedLeniently: 1,
      grantApproved: '15000000.00',
      grantDisbursed: '3500000.00',
      grantConverted: '2000000.00',
      socialCapitalAttracted: '20000000.00',
      pendingHandOff: 0,
    });
  });
});
