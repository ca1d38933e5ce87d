import * as z from 'zod';

/**
 * Text limits count user-perceived characters (Unicode code points), not UTF-16
 * units or bytes: "集成电路" is 4 characters and an emoji is 1.
 */
export const charCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

// Control characters other than tab/newline/CR are never legitimate in form text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A trimmed text field limited by characters. Stored verbatim (HTML is escaped where rendered). */
export const text = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .refine((s) => !CONTROL.test(s), { message: 'must not contain control characters' })
    .refine((s) => charCount(s) >= min, { message: `must be at least ${min} character(s)` })
    .refine((s) => charCount(s) <= max, { message: `must be at most ${max} characters` });

/** Bilingual text: Chinese is required, English optional unless stated. */
export const bilingual = (max: number) => z.strictObject({ zh: text(max), en: text(max).optional() });

/** A bilingual text in the reader's language: English where there is one, else the Chinese. */
export const inLanguage = (t: { zh: string; en?: string }, lang: 'zh' | 'en') =>
  lang === 'en' ? (t.en ?? t.zh) : t.zh;

/** Normalizes an organization name for uniqueness checks (full-width → half-width, case, spaces). */
export const normalizeName = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const HEADER_BREAKS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g;

/**
 * A value safe for one e-mail header line: control characters — CR and LF
 * above all, which would start a new header (header injection) — and Unicode
 * line separators become a space; runs of spaces collapse.
 */
export const headerSafe = (s: string): string => s.replace(HEADER_BREAKS, ' ').replace(/ {2,}/g, ' ').trim();

/** Minimal HTML escaping for any place that renders stored text. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
