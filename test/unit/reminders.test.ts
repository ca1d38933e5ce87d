import { describe, expect, it } from 'vitest';
import { dueReminders, nextCheckpoint, reminderTimes } from '../../shared/review/reminders.ts';

const CLOSE = '2026-07-10T16:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('review reminders', () => {
  it('schedules reminders before the close and waits for the next one, then for the close', () => {
    expect(reminderTimes(CLOSE, [24, 48, 24]).map((t) => new Date(t).toISOString())).toEqual([
      '2026-07-08T16:00:00.000Z',
      '2026-07-09T16:00:00.000Z',
    ]);
    expect(nextCheckpoint(CLOSE, [48, 24], at('2026-07-08T15:00:00.000Z'))).toEqual({
      kind: 'reminder',
      at: at('2026-07-08T16:00:00.000Z'),
      timeoutSeconds: 3600,
    });
    expect(nextCheckpoint(CLOSE, [48, 24], at('2026-07-09T16:00:00.000Z')).kind).toBe('close');
    expect(nextCheckpoint(CLOSE, [48, 24], at('2026-07-10T15:59:59.500Z'))).toMatchObject({
      kind: 'close',
      timeoutSeconds: 1,
    });
  });

  it('lists the reminders due, none after the close', () => {
    expect(dueReminders(CLOSE, [48, 24], at('2026-07-08T16:00:00.000Z'))).toEqual([48]);
    expect(dueReminders(CLOSE, [48, 24], at('2026-07-10T00:00:00.000Z'))).toEqual([48, 24]);
    expect(dueReminders(CLOSE, [48, 24], at(CLOSE))).toEqual([]);
  });
});
