import * as z from 'zod';
import { FIELDS } from '../competition.ts';
import { validationError, type FieldIssue } from '../errors.ts';
import { text } from '../text.ts';

/**
 * The expert pool (专家库): who may review, what they know, how much they take
 * per round, and the conflicts (回避) they declared. Experts are identified by
 * e-mail, so importing the same list again changes nothing.
 */
export const LANGUAGES = ['zh', 'en'] as const;

export const expertInput = z.strictObject({
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  name: text(60),
  institution: text(200),
  fields: z.array(z.enum(FIELDS)).max(FIELDS.length).default([]),
  keywords: z.array(text(50)).max(30).default([]),
  languages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length).default(['zh']),
  maxLoadPerRound: z.number().int().min(0).max(500),
  conflicts: z
    .strictObject({
      organizations: z.array(text(200)).max(50).default([]),
      /** Applicants (e-mails or names) the expert must not review. */
      applicants: z.array(text(254)).max(50).default([]),
    })
    .default({ organizations: [], applicants: [] }),
});
export type ExpertInput = z.output<typeof expertInput>;

export const MAX_EXPERTS_PER_IMPORT = 2000;
export const expertImportBody = z.strictObject({ experts: z.array(expertInput).min(1).max(MAX_EXPERTS_PER_IMPORT) });

export interface Expert extends ExpertInput {
  version: number;
  importedAt: string;
  updatedAt: string;
}

/** Two rows with one e-mail in one import are a mistake worth reporting, not a silent "last wins". */
export const assertUniqueEmails = (experts: ExpertInput[], pathOf: (index: number) => string) => {
  const first = new Map<string, number>();
  const issues: FieldIssue[] = [];
  experts.forEach((e, i) => {
    const seen = first.get(e.email);
    if (seen === undefined) first.set(e.email, i);
    else
      issues.push({ path: `${pathOf(i)}.email`, message: `same e-mail as ${pathOf(seen)}`, code: 'duplicate_email' });
  });
  if (issues.length) throw validationError('The import lists an expert twice', issues);
};

/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM.
 * Returns rows of fields; a malformed quote is reported with its line.
 */
export const parseCsv = (input: string): string[][] => {
  const s = input.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== '')
        throw validationError('Malformed CSV', [
          { path: `line.${line}`, message: 'a quote inside an unquoted field', code: 'csv_quote' },
        ]);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      line++;
    } else field += c;
  }
  if (quoted)
    throw validationError('Malformed CSV', [
      { path: `line.${line}`, message: 'an unterminated quoted field', code: 'csv_quote' },
    ]);
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0]!.trim() === ''));
};

export const CSV_COLUMNS = [
  'email',
  'name',
  'institution',
  'fields',
  'keywords',
  'languages',
  'maxLoadPerRound',
  'conflictOrganizations',
  'conflictApplicants',
] as const;
/** List cells separate items with ";" (also "；" or "、", as typed in Chinese). */
const list = (cell: string | undefined) =>
  (cell ?? '')
    .split(/[;；、]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses and validates an expert CSV (header row required); issues name `rows.<line>.<column>`. */
export const expertsFromCsv = (csv: string, maxRows = MAX_EXPERTS_PER_IMPORT): ExpertInput[] => {
  const rows = parseCsv(csv);
  const header = rows[0]?.map((h) => h.trim());
  const missing = CSV_COLUMNS.filter(
    (c) =>
      c !== 'conflictOrganizations' &&
      c !== 'conflictApplicants' &&
      c !== 'keywords' &&
      c !== 'fields' &&
      !header?.includes(c),
  );
  const unknown = (header ?? []).filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (!header || missing.length || unknown.length) {
    throw validationError('The CSV header is not the expected one', [
      ...missing.map((c) => ({ path: `header.${c}`, message: 'required column missing', code: 'missing_column' })),
      ...unknown.map((c) => ({ path: `header.${c}`, message: 'unknown column', code: 'unknown_column' })),
    ]);
  }
  if (rows.length - 1 > maxRows)
    throw validationError('Too many rows', [
      { path: 'rows', message: `at most ${maxRows} experts per import`, code: 'too_big' },
    ]);
  const col = (r: string[], name: (typeof CSV_COLUMNS)[number]) => {
    const k = header.indexOf(name);
    return k < 0 ? undefined : r[k]?.trim();
  };
  const issues: FieldIssue[] = [];
  const experts: ExpertInput[] = [];
  rows.slice(1).forEach((r, k) => {
    const line = k + 2;
    const load = col(r, 'maxLoadPerRound');
    const parsed = expertInput.safeParse({
      email: col(r, 'email'),
      name: col(r, 'name'),
      institution: col(r, 'institution'),
      fields: list(col(r, 'fields')),
      keywords: list(col(r, 'keywords')),
      languages: list(col(r, 'languages')).length ? list(col(r, 'languages')) : undefined,
      maxLoadPerRound: load !== undefined && /^\d+$/.test(load) ? Number(load) : load,
      conflicts: {
        organizations: list(col(r, 'conflictOrganizations')),
        applicants: list(col(r, 'conflictApplicants')),
      },
    });
    if (parsed.success) experts.push(parsed.data);
    else
      for (const i of parsed.error.issues)
        issues.push({ path: `rows.${line}.${i.path.join('.')}`, message: i.message, code: i.code });
  });
  if (issues.length) throw validationError('Some CSV rows are invalid; nothing was imported', issues);
  if (!experts.length)
    throw validationError('The CSV has no expert rows', [{ path: 'rows', message: 'no data rows', code: 'too_small' }]);
  assertUniqueEmails(experts, (i) => `rows.${i + 2}`);
  return experts;
};
