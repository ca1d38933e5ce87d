/**
 * Exact arithmetic for money and share prices: rationals over BigInt. Money
 * enters and leaves as decimal strings ("5000000.00"); nothing passes through a
 * binary float. Rounding happens only when a value is shown, and says how.
 */
export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  constructor(num: bigint, den: bigint = 1n) {
    if (den === 0n) throw new RangeError('division by zero');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num < 0n ? -num : num, den);
    this.num = g > 1n ? num / g : num;
    this.den = g > 1n ? den / g : den;
  }

  /** "12.5", "-3", "0.000001": any finite decimal string. */
  static parse(s: string): Rational {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
    if (!m) throw new RangeError(`not a decimal number: "${s}"`);
    const frac = m[3] ?? '';
    const n = BigInt(m[2]! + frac) * (m[1] ? -1n : 1n);
    return new Rational(n, 10n ** BigInt(frac.length));
  }

  static of(n: bigint | number): Rational {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    return new Rational(BigInt(n));
  }

  add(o: Rational) {
    return new Rational(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational) {
    return new Rational(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational) {
    return new Rational(this.num * o.num, this.den * o.den);
  }
  div(o: Rational) {
    if (o.num === 0n) throw new RangeError('division by zero');
    return new Rational(this.num * o.den, this.den * o.num);
  }
  cmp(o: Rational): -1 | 0 | 1 {
    const d = this.num * o.den - o.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  isPositive() {
    return this.num > 0n;
  }
  /** Largest integer ≤ this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }
  /** Decimal string with `places` decimals, rounded half away from zero. */
  toFixed(places: number): string {
    const scale = 10n ** BigInt(places);
    const neg = this.num < 0n;
    const abs = neg ? -this.num : this.num;
    const scaled = (abs * scale * 2n + this.den) / (this.den * 2n);
    const digits = scaled.toString().padStart(places + 1, '0');
    const out = places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
    return neg && scaled !== 0n ? `-${out}` : out;
  }
}

const gcd = (a: bigint, b: bigint): bigint => {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
};

export const money = (s: string) => Rational.parse(s);
/** Money shown with 2 decimals (half away from zero). */
export const showMoney = (r: Rational) => r.toFixed(2);
