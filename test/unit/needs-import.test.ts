import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { importedNeedId } from '../../functions/services/need-import.ts';
import { NEED_CSV_COLUMNS, readNeedsCsv } from '../../shared/needs-import.ts';

describe('needs import', () => {
  it('derives each row’s need id from the import and the row: the same on every run, distinct per row', () => {
    const at = Date.parse('2026-12-01T08:00:00Z');
    const a = importedNeedId('01JIMPORT0000000000000000A', at, 2);
    expect(importedNeedId('01JIMPORT0000000000000000A', at, 2)).toBe(a);
    expect(importedNeedId('01JIMPORT0000000000000000A', at, 3)).not.toBe(a);
    expect(importedNeedId('01JIMPORT0000000000000000B', at, 2)).not.toBe(a);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(a)).toBe(at);
  });

  it('refuses a header with unknown or missing columns, and a file without rows', () => {
    const header = Object.keys(NEED_CSV_COLUMNS).join(',');
    expect(() => readNeedsCsv(`${header},extra\n`)).toThrow(/header/);
    expect(() => readNeedsCsv('sponsor_name\n')).toThrow(/header/);
    expect(() => readNeedsCsv(`${header}\n\n`)).toThrow(/no need rows/);
  });
});
