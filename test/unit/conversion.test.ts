import { describe, expect, it } from 'vitest';
import { type ConversionInputError, computeConversion } from '../../shared/funding/conversion.ts';
import { Rational } from '../../shared/funding/decimal.ts';

describe('exact decimals', () => {
  it('parses decimal strings and rounds half away from zero only when shown', () => {
    expect(Rational.parse('0.1').add(Rational.parse('0.2')).cmp(Rational.parse('0.3'))).toBe(0); // not 0.30000000000000004
    expect(new Rational(5n, 2n).toFixed(0)).toBe('3');
    expect(new Rational(-5n, 2n).toFixed(0)).toBe('-3');
    expect(new Rational(1n, 3n).toFixed(6)).toBe('0.333333');
    expect(new Rational(2n, 3n).toFixed(6)).toBe('0.666667');
    expect(new Rational(-7n, 2n).floor()).toBe(-4n);
    expect(() => Rational.parse('1e6')).toThrow(/not a decimal/);
  });
});

describe('grant-then-equity conversion (worked by hand)', () => {
  it('example 1 — the valuation cap gives the lowest price', () => {
    // Grant 5,000,000.00 fully disbursed; terms: 20 % discount, cap 60,000,000.00.
    // Round: 20,000,000.00 at pre-money 100,000,000.00 on 10,000,000 fully diluted shares.
    //   round price    = 100,000,000 ÷ 10,000,000          = 10.000000
    //   discount price = 10 × (1 − 0.20)                    =  8.000000
    //   cap price      = 60,000,000 ÷ 10,000,000            =  6.000000  ← lowest
    //   shares         = floor(5,000,000 ÷ 6) = floor(833,333.33…) = 833,333
    //   remainder      = 5,000,000 − 833,333 × 6 = 5,000,000 − 4,999,998 = 2.00
    //   round shares   = 20,000,000 ÷ 10                    = 2,000,000
    //   post-money     = 10,000,000 + 2,000,000 + 833,333   = 12,833,333
    //   ownership      = 833,333 ÷ 12,833,333 = 0.0649350… → 6.4935 %
    const c = computeConversion(
      { disbursed: '5000000.00', commitment: '5000000.00' },
      { converts: 'DISBURSED', discountPercent: '20', valuationCap: '60000000.00' },
      { roundSize: '20000000.00', preMoneyValuation: '100000000.00', fullyDilutedShares: '10000000' },
    );
    expect(c).toMatchObject({
      qualifies: true,
      roundPrice: '10.000000',
      conversionPrice: '6.000000',
      appliedTerm: 'VALUATION_CAP',
      shares: '833333',
      unconvertedRemainder: '2.00',
      roundShares: '2000000',
      postMoneyShares: '12833333',
      ownershipPercent: '6.4935',
    });
    expect((c as { arithmetic: string[] }).arithmetic).toContain(
      'conversion price = lowest of [DISCOUNT 8.000000, VALUATION_CAP 6.000000, ROUND_PRICE 10.000000] = 6.000000 (VALUATION_CAP)',
    );
  });

  it('example 2 — the discount wins, and only what was disbursed converts', () => {
    // Commitment 3,000,000.00, disbursed 1,200,000.00; 15 % discount, no cap.
    // Round: 16,000,000.00 at 3.20 per share on 25,000,000 shares.
    //   discount price = 3.20 × 0.85                        = 2.720000
    //   shares         = floor(1,200,000 ÷ 2.72) = floor(441,176.47…) = 441,176
    //   remainder      = 1,200,000 − 441,176 × 2.72 = 1,200,000 − 1,199,998.72 = 1.28
    //   round shares   = 16,000,000 ÷ 3.20                  = 5,000,000
    //   post-money     = 25,000,000 + 5,000,000 + 441,176   = 30,441,176
    //   ownership      = 441,176 ÷ 30,441,176 = 0.0144927… → 1.4493 %
    const c = computeConversion(
      { disbursed: '1200000.00', commitment: '3000000.00' },
      { converts: 'DISBURSED', discountPercent: '15' },
      { roundSize: '16000000.00', pricePerShare: '3.20', fullyDilutedShares: '25000000' },
    );
    expect(c).toMatchObject({
      convertingAmount: '1200000.00',
      conversionPrice: '2.720000',
      appliedTerm: 'DISCOUNT',
      shares: '441176',
      unconvertedRemainder: '1.28',
      roundShares: '5000000',
      ownershipPercent: '1.4493',
    });
  });

  it('example 3 — a repeating price stays exact (binary floating point would issue 29,999 shares)', () => {
    // Full commitment 1,000,000.00 converts at the round price, no terms.
    //   round price = 70,000,000 ÷ 2,100,000 = 33.333333… (100/3)
    //   shares      = floor(1,000,000 ÷ 100/3) = floor(30,000) = 30,000 exactly; remainder 0.00
    //   (in doubles: Math.floor(1000000 / (70000000 / 2100000)) = 29999)
    //   round shares = floor(7,000,000 ÷ 100/3) = floor(210,000) = 210,000
    //   ownership = 30,000 ÷ (2,100,000 + 210,000 + 30,000) = 30,000 ÷ 2,340,000 = 1.2820512… → 1.2821 %
    const c = computeConversion(
      { disbursed: '400000.00', commitment: '1000000.00' },
      { converts: 'COMMITMENT' },
      { roundSize: '7000000.00', preMoneyValuation: '70000000.00', fullyDilutedShares: '2100000' },
    );
    expect(Math.floor(1000000 / (70000000 / 2100000))).toBe(29999);
    expect(c).toMatchObject({
      roundPrice: '33.333333',
      appliedTerm: 'ROUND_PRICE',
      shares: '30000',
      unconvertedRemainder: '0.00',
      roundShares: '210000',
      ownershipPercent: '1.2821',
    });
  });

  it('a round below the qualifying size does not convert', () => {
    expect(
      computeConversion(
        { disbursed: '1.00', commitment: '1.00' },
        { converts: 'DISBURSED', qualifyingRoundSize: '10000000.00' },
        { roundSize: '5000000.00', pricePerShare: '1', fullyDilutedShares: '1000' },
      ),
    ).toEqual({ qualifies: false, reason: 'round size 5000000.00 is below the qualifying size 10000000.00' });
  });

  it('refuses inconsistent input with the field at fault', () => {
    const amounts = { disbursed: '1.00', commitment: '1.00' };
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ConversionInputError).path;
      }
      return 'no error';
    };
    expect(
      err(() =>
        computeConversion(
          amounts,
          { converts: 'DISBURSED' },
          { roundSize: '1.00', pricePerShare: '1', preMoneyValuation: '5', fullyDilutedShares: '5' },
        ),
      ),
    ).toBe('pricePerShare');
    expect(
      err(() =>
        computeConversion(
          amounts,
          { converts: 'DISBURSED', discountPercent: '100' },
          { roundSize: '1.00', pricePerShare: '1', fullyDilutedShares: '5' },
        ),
      ),
    ).toBe('discountPercent');
    expect(
      err(() =>
        computeConversion(
          amounts,
          { converts: 'DISBURSED' },
          { roundSize: '1.00', pricePerShare: '1', fullyDilutedShares: '0' },
        ),
      ),
    ).toBe('fullyDilutedShares');
    expect(
      err(() =>
        computeConversion(
          { disbursed: '0.00', commitment: '1.00' },
          { converts: 'DISBURSED' },
          { roundSize: '1.00', pricePerShare: '1', fullyDilutedShares: '5' },
        ),
      ),
    ).toBe('amount');
  });
});

describe('post-money valuation cap (capBasis POST_MONEY, worked by hand)', () => {
  // The grant's shares S are (grant A ÷ cap C) of the capitalization just before the round's new money,
  // S included: S ÷ (N + S) = A ÷ C, so the cap price is (C − A) ÷ N.
  it('example 5 — the post-money cap beats a discount; the same cap pre-money would give fewer shares', () => {
    // Grant 1,000,000.00 disbursed; 20 % discount; post-money cap 5,000,000.00.
    // Round: 3,000,000.00 at pre-money 10,000,000.00 on 1,000,000 shares.
    //   round price    = 10,000,000 ÷ 1,000,000               = 10.000000
    //   discount price = 10 × 0.80                             =  8.000000
    //   cap price      = (5,000,000 − 1,000,000) ÷ 1,000,000   =  4.000000  ← lowest
    //   shares         = 1,000,000 ÷ 4                         = 250,000
    //   check          = 250,000 ÷ (1,000,000 + 250,000) = 20 % = 1,000,000 ÷ 5,000,000
    //   round shares   = 3,000,000 ÷ 10                        = 300,000
    //   post-money     = 1,000,000 + 300,000 + 250,000         = 1,550,000
    //   ownership      = 250,000 ÷ 1,550,000 = 0.1612903… → 16.1290 %
    const terms = { converts: 'DISBURSED', discountPercent: '20', valuationCap: '5000000.00' } as const;
    const round = { roundSize: '3000000.00', preMoneyValuation: '10000000.00', fullyDilutedShares: '1000000' };
    const post = computeConversion(
      { disbursed: '1000000.00', commitment: '1000000.00' },
      { ...terms, capBasis: 'POST_MONEY' },
      round,
    );
    expect(post).toMatchObject({
      qualifies: true,
      conversionPrice: '4.000000',
      appliedTerm: 'VALUATION_CAP',
      shares: '250000',
      unconvertedRemainder: '0.00',
      roundShares: '300000',
      postMoneyShares: '1550000',
      ownershipPercent: '16.1290',
    });
    expect((post as { arithmetic: string[] }).arithmetic.join('\n')).toContain(
      'cap price (post-money) = (cap 5000000.00 − converting 1000000.00) ÷ 1000000 shares = 4.000000',
    );
    // Pre-money (the default): cap price 5,000,000 ÷ 1,000,000 = 5.00 → 200,000 shares.
    const pre = computeConversion({ disbursed: '1000000.00', commitment: '1000000.00' }, terms, round);
    expect(pre).toMatchObject({ conversionPrice: '5.000000', shares: '200000', appliedTerm: 'VALUATION_CAP' });
  });

  it('example 6 — a high post-money cap loses to the discount', () => {
    // Grant 1,000,000.00; 20 % discount; post-money cap 10,000,000.00; round price 10.00 on 1,000,000 shares.
    //   cap price = (10,000,000 − 1,000,000) ÷ 1,000,000 = 9.000000; discount price = 8.000000 ← lowest
    //   shares    = 1,000,000 ÷ 8 = 125,000
    const c = computeConversion(
      { disbursed: '1000000.00', commitment: '1000000.00' },
      { converts: 'DISBURSED', discountPercent: '20', valuationCap: '10000000.00', capBasis: 'POST_MONEY' },
      { roundSize: '3000000.00', pricePerShare: '10', fullyDilutedShares: '1000000' },
    );
    expect(c).toMatchObject({ conversionPrice: '8.000000', appliedTerm: 'DISCOUNT', shares: '125000' });
  });

  it('refuses a post-money cap that does not exceed the converting amount', () => {
    expect(() =>
      computeConversion(
        { disbursed: '5000000.00', commitment: '5000000.00' },
        { converts: 'DISBURSED', valuationCap: '5000000.00', capBasis: 'POST_MONEY' },
        { roundSize: '3000000.00', pricePerShare: '10', fullyDilutedShares: '1000000' },
      ),
    ).toThrow(expect.objectContaining({ path: 'valuationCap' }) as unknown as Error);
  });
});
