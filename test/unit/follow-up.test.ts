import { describe, expect, it } from 'vitest';
import {
  reassignmentDue,
  topUpSlots,
  windowAllowsNewReviews,
  type HeldAssignment,
} from '../../shared/review/follow-up.ts';
import { checkpointOffsets, nextCheckpoint } from '../../shared/review/reminders.ts';

const CLOSE = '2026-07-10T16:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
const held = (id: string, status: HeldAssignment['status'], extra: Partial<HeldAssignment> = {}): HeldAssignment => ({
  assignmentId: id,
  entryId: `E-${id}`,
  status,
  assignedAt: '2026-07-01T00:00:00.000Z',
  updatedAt: '2026-07-01T00:00:00.000Z',
  ...extra,
});

describe('round follow-up decisions', () => {
  const rules = { closesAt: CLOSE, reassignPendingHoursBefore: 24, minHoursToReview: 12 };

  it('replaces declined reviews that have no backup yet; pending ones only from the reassignment checkpoint', () => {
    const assignments = [
      held('a', 'DECLINED'),
      held('b', 'DECLINED', { replacedBy: 'x' }),
      held('c', 'PENDING'),
      held('d', 'SUBMITTED'),
    ];
    expect(topUpSlots(rules, assignments, undefined, at('2026-07-09T15:59:59.000Z'))).toEqual([
      { entryId: 'E-a', need: { kind: 'REPLACES', assignmentId: 'a', reason: 'DECLINED' } },
    ]);
    expect(topUpSlots(rules, assignments, undefined, at('2026-07-09T16:00:00.000Z'))).toEqual([
      { entryId: 'E-a', need: { kind: 'REPLACES', assignmentId: 'a', reason: 'DECLINED' } },
      { entryId: 'E-c', need: { kind: 'REPLACES', assignmentId: 'c', reason: 'OVERDUE' } },
    ]);
  });

  it('never treats a backup given after the checkpoint as overdue', () => {
    const backup = held('n', 'PENDING', { assignedAt: '2026-07-09T17:00:00.000Z' });
    expect(topUpSlots(rules, [backup], undefined, at('2026-07-10T00:00:00.000Z'))).toEqual([]);
  });

  it('adds nothing once fewer than minHoursToReview remain', () => {
    expect(windowAllowsNewReviews(rules, at('2026-07-10T04:00:00.000Z'))).toBe(true);
    expect(windowAllowsNewReviews(rules, at('2026-07-10T04:00:00.001Z'))).toBe(false);
    expect(
      topUpSlots(rules, [held('a', 'DECLINED')], { k: 1, entryIds: ['E-z'] }, at('2026-07-10T05:00:00.000Z')),
    ).toEqual([]);
    expect(reassignmentDue(rules, at(CLOSE))).toBe(false);
  });

  it('asks one extra review per entry of the latest disagreement pass, until it exists', () => {
    const pass = { k: 2, entryIds: ['E1', 'E2'] };
    const assignments = [
      held('p', 'PENDING', { entryId: 'E1', extraPass: 2 }),
      held('q', 'SUBMITTED', { entryId: 'E2', extraPass: 1 }),
    ];
    expect(
      topUpSlots(
        { ...rules, reassignPendingHoursBefore: undefined },
        assignments,
        pass,
        at('2026-07-05T00:00:00.000Z'),
      ),
    ).toEqual([{ entryId: 'E2', need: { kind: 'EXTRA', pass: 2 } }]);
  });

  it('waits until the reassignment checkpoint as well as the reminders', () => {
    const round = {
      reminderHoursBefore: [48],
      backupReviewers: { reassignPendingHoursBefore: 30, minHoursToReview: 12 },
    };
    expect(checkpointOffsets(round)).toEqual([48, 30]);
    expect(nextCheckpoint(CLOSE, checkpointOffsets(round), at('2026-07-08T17:00:00.000Z'))).toMatchObject({
      at: at('2026-07-09T10:00:00.000Z'),
    });
  });
});
