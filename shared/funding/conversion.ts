import { Rational, showMoney } from './decimal.ts';

/**
 * Grant-then-equity (拨投结合, 先投后股): when the company closes a qualifying
 * financing round, the grant converts into equity at that round's price per
 * share, or at a better price for the grantor if the terms give a discount
 * and/or a valuation cap — the lowest of the applicable prices wins.
 *
 * Exact: every step is a rational number over BigInt. Rounding, documented:
 *  - shares issued = floor(converting amount ÷ conversion price): whole shares,
 *    rounded down; the part of the grant that buys no whole share is reported
 *    as the unconverted remainder (shown to the cent, half away from zero);
 *  - the financing round's new shares = floor(round size ÷ round price);
 *  - ownership = shares issued ÷ (pre-money fully diluted shares + new round
 *    shares + shares issued), post-money and fully diluted, shown as a percent
 *    with 4 decimals; prices are shown with 6 decimals (half away from zero).
 * Ties between terms: the discount is named before the cap, the cap before
 * the plain round price.
 *
 * The valuation cap is pre-money by default: cap price = cap ÷ fully diluted
 * shares before the round. A post-money cap (as in the widely used post-money
 * SAFE) fixes the grant's ownership instead: its shares S are (grant ÷ cap) of
 * the capitalization immediately before the round's new money, the grant's own
 * shares included — S ÷ (N + S) = A ÷ C, hence cap price = (C − A) ÷ N.
 */
export interface ConversionTerms {
  /** Which amount converts: what was disbursed so far, or the full commitment. */
  converts: 'DISBURSED' | 'COMMITMENT';
  /** Percent off the round price, e.g. "20" (0 ≤ d < 100). */
  discountPercent?: string;
  /** Valuation cap, decimal money. */
  valuationCap?: string;
  /** What the cap values: the company before the round (default) or after the grant converts (post-money SAFE). */
  capBasis?: 'PRE_MONEY' | 'POST_MONEY';
  /** A round smaller than this does not trigger conversion. */
  qualifyingRoundSize?: string;
}

export interface FinancingRound {
  /** New money raised in the round. */
  roundSize: string;
  /** Either the pre-money valuation or the price per share. */
  preMoneyValuation?: string;
  pricePerShare?: string;
  /** Fully diluted shares before the round. */
  fullyDilutedShares: string;
}

export interface Conversion {
  qualifies: true;
  convertingAmount: string;
  roundPrice: string;
  conversionPrice: string;
  appliedTerm: 'DISCOUNT' | 'VALUATION_CAP' | 'ROUND_PRICE';
  shares: string;
  unconvertedRemainder: string;
  roundShares: string;
  postMoneyShares: string;
  ownershipPercent: string;
  /** Each step with its numbers, as the organizer sees it. */
  arithmetic: string[];
}

export class ConversionInputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const positive = (r: Rational, path: string, what: string) => {
  if (!r.isPositive()) throw new ConversionInputError(path, `${what} must be greater than zero`);
  return r;
};

export const computeConversion = (
  amounts: { disbursed: string; commitment: string },
  terms: ConversionTerms,
  round: FinancingRound,
): Conversion | { qualifies: false; reason: string } => {
  const roundSize = positive(Rational.parse(round.roundSize), 'roundSize', 'the round size');
  if (terms.qualifyingRoundSize && roundSize.cmp(Rational.parse(terms.qualifyingRoundSize)) < 0) {
    return {
      qualifies: false,
      reason: `round size ${showMoney(roundSize)} is below the qualifying size ${showMoney(Rational.parse(terms.qualifyingRoundSize))}`,
    };
  }
  if (!/^[1-9]\d{0,15}$/.test(round.fullyDilutedShares))
    throw new ConversionInputError(
      'fullyDilutedShares',
      'fully diluted shares must be a whole number greater than zero',
    );
  const preShares = Rational.of(BigInt(round.fullyDilutedShares));
  if ((round.pricePerShare === undefined) === (round.preMoneyValuation === undefined)) {
    throw new ConversionInputError('pricePerShare', 'give either the price per share or the pre-money valuation');
  }
  const steps: string[] = [];
  const p6 = (r: Rational) => r.toFixed(6);
  let roundPrice: Rational;
  if (round.pricePerShare !== undefined) {
    roundPrice = positive(Rational.parse(round.pricePerShare), 'pricePerShare', 'the price per share');
    steps.push(`round price = ${p6(roundPrice)} per share (given)`);
  } else {
    const pre = positive(Rational.parse(round.preMoneyValuation!), 'preMoneyValuation', 'the pre-money valuation');
    roundPrice = pre.div(preShares);
    steps.push(`round price = pre-money ${showMoney(pre)} ÷ ${round.fullyDilutedShares} shares = ${p6(roundPrice)}`);
  }

  const amount = positive(
    Rational.parse(terms.converts === 'DISBURSED' ? amounts.disbursed : amounts.commitment),
    'amount',
    'the converting amount',
  );
  const candidates: Array<{ term: Conversion['appliedTerm']; price: Rational }> = [];
  if (terms.discountPercent !== undefined) {
    const d = Rational.parse(terms.discountPercent);
    if (d.cmp(Rational.of(0)) < 0 || d.cmp(Rational.of(100)) >= 0)
      throw new ConversionInputError('discountPercent', 'the discount must be at least 0 and below 100 percent');
    const price = roundPrice.mul(Rational.of(100).sub(d)).div(Rational.of(100));
    steps.push(`discount price = ${p6(roundPrice)} × (1 − ${terms.discountPercent}%) = ${p6(price)}`);
    candidates.push({ term: 'DISCOUNT', price });
  }
  if (terms.valuationCap !== undefined) {
    const cap = positive(Rational.parse(terms.valuationCap), 'valuationCap', 'the valuation cap');
    const n = round.fullyDilutedShares;
    if (terms.capBasis === 'POST_MONEY') {
      if (cap.cmp(amount) <= 0) {
        throw new ConversionInputError('valuationCap', 'a post-money valuation cap must exceed the converting amount');
      }
      const price = cap.sub(amount).div(preShares);
      steps.push(
        `cap price (post-money) = (cap ${showMoney(cap)} − converting ${showMoney(amount)}) ÷ ${n} shares = ${p6(price)}` +
          ` (so that the grant's shares ÷ (${n} + the grant's shares) = ${showMoney(amount)} ÷ ${showMoney(cap)})`,
      );
      candidates.push({ term: 'VALUATION_CAP', price });
    } else {
      const price = cap.div(preShares);
      steps.push(`cap price = cap ${showMoney(cap)} ÷ ${n} shares = ${p6(price)}`);
      candidates.push({ term: 'VALUATION_CAP', price });
    }
  }
  candidates.push({ term: 'ROUND_PRICE', price: roundPrice });
  const best = candidates.reduce((a, b) => (b.price.cmp(a.price) < 0 ? b : a));
  steps.push(
    `conversion price = lowest of [${candidates.map((c) => `${c.term} ${p6(c.price)}`).join(', ')}] = ${p6(best.price)} (${best.term})`,
  );

  const shares = amount.div(best.price).floor();
  const remainder = amount.sub(Rational.of(shares).mul(best.price));
  steps.push(`shares = floor(${showMoney(amount)} ÷ ${p6(best.price)}) = ${shares}`);
  steps.push(`unconverted remainder = ${showMoney(amount)} − ${shares} × ${p6(best.price)} = ${showMoney(remainder)}`);
  const roundShares = roundSize.div(roundPrice).floor();
  const post = BigInt(round.fullyDilutedShares) + roundShares + shares;
  steps.push(`new round shares = floor(${showMoney(roundSize)} ÷ ${p6(roundPrice)}) = ${roundShares}`);
  const ownership = Rational.of(shares).mul(Rational.of(100)).div(Rational.of(post));
  steps.push(
    `ownership = ${shares} ÷ (${round.fullyDilutedShares} + ${roundShares} + ${shares}) = ${shares} ÷ ${post} = ${ownership.toFixed(4)}%`,
  );
  return {
    qualifies: true,
    convertingAmount: showMoney(amount),
    roundPrice: p6(roundPrice),
    conversionPrice: p6(best.price),
    appliedTerm: best.term,
    shares: shares.toString(),
    unconvertedRemainder: showMoney(remainder),
    roundShares: roundShares.toString(),
    postMoneyShares: post.toString(),
    ownershipPercent: ownership.toFixed(4),
    arithmetic: steps,
  };
};
