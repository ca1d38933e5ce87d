/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18
 * characters from a 31-character alphabet (digits and capitals without I, O,
 * S, V, Z) — registration authority, organization type, 6-digit region code,
 * 9-character organization code, and a check character:
 *   check = 31 − (Σ value(cᵢ) × wᵢ mod 31), with 31 written as "0",
 *   wᵢ = 3^(i−1) mod 31 for i = 1…17.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character for the first 17 characters. */
export const creditCodeCheck = (first17: string): string => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return ALPHABET[(31 - (sum % 31)) % 31]!;
};

/** Shape and check character (a typo or an invented code fails). */
export const isValidCreditCode = (code: string): boolean =>
  SHAPE.test(code) && creditCodeCheck(code.slice(0, 17)) === code[17];
