/**
 * 盲评 redaction: blacks out the applicant's identity wherever it appears in
 * what a blind reviewer reads, however it is written.
 *
 * Text is compared in a normalized projection — NFKC (full-width → ASCII,
 * compatibility forms), lower case, with zero-width and formatting characters,
 * spaces and common separators removed — that remembers, for every character,
 * where it came from; a match found there blacks out the original span. So
 * "ＡＣＭＥ", "a c m e", "ac\u200Bme" and "ACME" all match "Acme". Besides the
 * applicant's own names, a blind text never shows an e-mail address, a URL or
 * domain, or a phone number of anyone.
 */
const MASK = '■■■';

// Zero-width and other invisible formatting characters (Unicode Cf), and soft hyphens.
const INVISIBLE = /[\p{Cf}\u00AD]/u;
// What may be inserted into a name to dodge a match: spaces and separators.
const SEPARATOR = /[\s\p{Cf}\u00AD\-_.·・•,，、'"‘’“”()（）[\]【】/\\|:：;；@＠]/u;

interface Projection {
  text: string;
  /** For each projected character, the original code point's start and end (UTF-16 offsets). */
  starts: number[];
  ends: number[];
}

const project = (s: string, skip: RegExp): Projection => {
  const out: Projection = { text: '', starts: [], ends: [] };
  let i = 0;
  for (const cp of s) {
    const normalized = cp.normalize('NFKC').toLowerCase();
    for (const c of normalized) {
      if (skip.test(c)) continue;
      out.text += c;
      out.starts.push(i);
      out.ends.push(i + cp.length);
    }
    i += cp.length;
  }
  return out;
};

/** The normalized form two spellings of the same name share. */
export const normalizeIdentity = (s: string) => project(s, SEPARATOR).text;

type Span = [number, number];

const spansOf = (p: Projection, needle: string): Span[] => {
  const spans: Span[] = [];
  if (needle.length < 2) return spans;
  for (let k = p.text.indexOf(needle); k !== -1; k = p.text.indexOf(needle, k + 1)) {
    spans.push([p.starts[k]!, p.ends[k + needle.length - 1]!]);
  }
  return spans;
};

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
const URL = /(?:https?:\/\/|www\.)[^\s，。、）)]+/giu;
const DOMAIN = /\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|ai|edu|gov|co|tech|info|biz)\b/giu;
// Mobile (1[3-9]x xxxx xxxx) and landline (0xx(x) xxxxxxx(x)) numbers, with an optional country code;
// plain amounts ("5000000 元") are not phone numbers.
const PHONE = /(?<!\d)(?:\+\d{1,3}[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)/gu;

const patternSpans = (p: Projection): Span[] =>
  [EMAIL, URL, DOMAIN, PHONE].flatMap((re) =>
    [...p.text.matchAll(re)].map((m): Span => [p.starts[m.index]!, p.ends[m.index + m[0].length - 1]!]),
  );

/** The applicant's names in every form worth looking for. */
export interface Identity {
  organizationName: string;
  personNames: string[];
  emails: string[];
  phones: string[];
  codes: string[];
}

const LEGAL_SUFFIX =
  /(股份有限公司|有限责任公司|有限公司|集团|公司|研究院|研究所|大学|学院|co\.?,?\s*ltd\.?|inc\.?|llc|corp\.?|gmbh)$/iu;

const terms = (id: Identity): string[] => {
  const out = new Set<string>();
  const add = (s?: string) => {
    const n = s ? normalizeIdentity(s) : '';
    if (n.length >= 2) out.add(n);
  };
  add(id.organizationName);
  add(id.organizationName.trim().replace(LEGAL_SUFFIX, ''));
  for (const name of id.personNames) add(name);
  for (const email of id.emails) {
    const [local, domain] = email.split('@');
    add(email);
    add(local);
    add(domain);
    add(domain?.split('.').slice(0, -1).join('.'));
  }
  for (const phone of id.phones) {
    const digits = phone.replace(/\D/g, '');
    add(digits);
    if (digits.length > 11) add(digits.slice(-11));
  }
  for (const code of id.codes) add(code);
  return [...out];
};

/** Blacks out the identity and any e-mail, URL, domain or phone number in `s`. */
export const redactText = (s: string, id: Identity): string => {
  const loose = project(s, SEPARATOR);
  const strict = project(s, INVISIBLE);
  const spans = [...terms(id).flatMap((t) => spansOf(loose, t)), ...patternSpans(strict)].sort((a, b) => a[0] - b[0]);
  if (!spans.length) return s;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    if (start > at) out += s.slice(at, start);
    if (start >= at) out += MASK;
    at = Math.max(at, end);
  }
  return out + s.slice(at);
};
