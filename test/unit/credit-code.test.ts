import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCodeCheck, isValidCreditCode } from '../../shared/credit-code.ts';
import { createEntryBody } from '../../shared/entry.ts';
import { zodIssues } from '../../shared/errors.ts';
import { demoEntry } from '../../infra/local/demo.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes and computes their check characters', () => {
    // Codes printed on public business licences.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110000802100433B')).toBe(true);
    expect(creditCodeCheck('91350100M000100Y4')).toBe('3');
  });

  it('writes a check value of 31 as "0"', () => {
    // Find a 17-character body whose weighted sum is ≡ 0 (mod 31): its check is "0".
    const body = '91350100M000100Y4';
    const variants = ALPHABET.split('').map((c) => `${body.slice(0, 16)}${c}`);
    const zero = variants.find((v) => creditCodeCheck(v) === '0');
    expect(zero).toBeDefined();
    expect(isValidCreditCode(`${zero}0`)).toBe(true);
  });

  it('refuses every single-character change of a valid code (typos, invented codes)', () => {
    const valid = '91350100M000100Y43';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.constantFrom(...ALPHABET.split('')), (i, c) => {
        fc.pre(valid[i] !== c);
        const changed = `${valid.slice(0, i)}${c}${valid.slice(i + 1)}`;
        // Positions 3–8 are the region's digits: a letter there fails the shape, a digit the check.
        expect(isValidCreditCode(changed)).toBe(false);
      }),
    );
  });

  it('an entry with a wrong check character is a validation error on applicant.creditCode', () => {
    const body = { ...demoEntry(), applicant: { ...demoEntry().applicant, creditCode: '91350100M000100Y44' } };
    const r = createEntryBody.safeParse(body);
    expect(r.success).toBe(false);
    expect(zodIssues(r.error!).map((i) => i.path)).toEqual(['applicant.creditCode']);
    const ok = createEntryBody.safeParse({
      ...body,
      applicant: { ...body.applicant, creditCode: '91350100M000100Y43' },
    });
    expect(ok.success).toBe(true);
  });
});
