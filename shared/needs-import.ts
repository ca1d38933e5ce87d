import { type FieldIssue, validationError } from './errors.ts';
import { type NeedContent, needContent } from './needs.ts';
import { parseCsv } from './review/experts.ts';

/**
 * Needs collected offline (the joint innovation centers gather most of them from hundreds of companies)
 * arrive as one CSV: a row per need, validated all-or-nothing; every issue names its row (the file's
 * line number) and column, e.g. `rows.12.intended_investment_cny`. Pure: no storage here.
 */

/** The file's columns and where each goes in a need (optional ones may be absent or empty). */
export const NEED_CSV_COLUMNS = {
  sponsor_name: 'sponsor.name',
  sponsor_credit_code: 'sponsor.creditCode',
  sponsor_region: 'sponsor.region',
  sponsor_industry: 'sponsor.industry',
  contact_name: 'contact.name',
  contact_email: 'contact.email',
  contact_phone: 'contact.phone',
  title_zh: 'title.zh',
  title_en: 'title.en',
  description_zh: 'description.zh',
  description_en: 'description.en',
  confidential_zh: 'confidential.zh',
  confidential_en: 'confidential.en',
  field: 'field',
  /** `name|target|unit` items separated by `;` (the unit may be left out). */
  indicators: 'indicators',
  intended_investment_cny: 'intendedInvestment',
  /** Cooperation codes separated by `;` (TECH_DEVELOPMENT;JOINT_RESEARCH). */
  cooperation: 'cooperation',
  answer_deadline: 'answerDeadline',
} as const;
type Column = keyof typeof NEED_CSV_COLUMNS;
const OPTIONAL: Column[] = ['title_en', 'description_en', 'confidential_zh', 'confidential_en', 'indicators'];

/** Rows one needs file may hold (the seventh edition collected 1,954 needs). */
export const MAX_NEED_IMPORT_ROWS = 5_000;

const list = (cell: string | undefined) =>
  (cell ?? '')
    .split(/[;；]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** The column an issue of the schema belongs to (its schema path starts with the column's). */
const columnOf = (path: ReadonlyArray<PropertyKey>): string => {
  const dotted = path.map(String).join('.');
  let best: string | undefined;
  for (const [column, target] of Object.entries(NEED_CSV_COLUMNS))
    if ((dotted === target || dotted.startsWith(`${target}.`)) && (!best || target.length > best.length)) best = column;
  return best ?? dotted;
};

/** A row of the file, validated; `line` is its line number in the file (the header is line 1). */
export interface ImportedNeedRow {
  line: number;
  content: NeedContent;
}

/**
 * The file's valid rows and the issues of the others (a wrong header, too many rows or none at all
 * throw at once): the caller adds what it checks of the valid rows and refuses the file if any.
 */
export const readNeedsCsv = (csv: string): { rows: ImportedNeedRow[]; issues: FieldIssue[] } => {
  const rows = parseCsv(csv.replace(/^\uFEFF/, ''));
  const header = rows[0]?.map((h) => h.trim());
  const columns = Object.keys(NEED_CSV_COLUMNS) as Column[];
  const missing = columns.filter((c) => !OPTIONAL.includes(c) && !header?.includes(c));
  const unknown = (header ?? []).filter((h) => !(h in NEED_CSV_COLUMNS));
  if (!header || missing.length || unknown.length)
    throw validationError('The CSV header is not the expected one', [
      ...missing.map((c) => ({ path: `header.${c}`, message: 'required column missing', code: 'missing_column' })),
      ...unknown.map((c) => ({ path: `header.${c}`, message: 'unknown column', code: 'unknown_column' })),
    ]);
  const data = rows.slice(1).filter((r) => r.some((cell) => cell.trim() !== ''));
  if (data.length > MAX_NEED_IMPORT_ROWS)
    throw validationError('Too many rows', [
      { path: 'rows', message: `at most ${MAX_NEED_IMPORT_ROWS} needs per import`, code: 'too_big' },
    ]);
  if (!data.length)
    throw validationError('The CSV has no need rows', [{ path: 'rows', message: 'no data rows', code: 'too_small' }]);

  const issues: FieldIssue[] = [];
  const out: ImportedNeedRow[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((r, k) => {
    if (!r.some((cell) => cell.trim() !== '')) return;
    const line = k + 2;
    const cell = (c: Column) => {
      const v = r[header.indexOf(c)]?.trim();
      return v === '' ? undefined : v;
    };
    const bilingual = (zh: Column, en: Column) =>
      cell(zh) === undefined && cell(en) === undefined ? undefined : { zh: cell(zh), en: cell(en) };
    const indicatorIssues: FieldIssue[] = [];
    const indicators = list(cell('indicators')).map((item) => {
      const [name, target, unit, ...extra] = item.split('|').map((x) => x.trim());
      if (extra.length || !target)
        indicatorIssues.push({
          path: `rows.${line}.indicators`,
          message: `"${item}" must be name|target or name|target|unit`,
          code: 'invalid_format',
        });
      return { name, target, ...(unit ? { unit } : {}) };
    });
    const parsed = needContent.safeParse({
      sponsor: {
        name: cell('sponsor_name'),
        creditCode: cell('sponsor_credit_code'),
        region: cell('sponsor_region'),
        industry: cell('sponsor_industry'),
      },
      contact: { name: cell('contact_name'), email: cell('contact_email'), phone: cell('contact_phone') },
      title: bilingual('title_zh', 'title_en'),
      description: bilingual('description_zh', 'description_en'),
      confidential: bilingual('confidential_zh', 'confidential_en'),
      field: cell('field'),
      indicators,
      intendedInvestment: { amount: cell('intended_investment_cny'), currency: 'CNY' },
      cooperation: list(cell('cooperation')),
      answerDeadline: cell('answer_deadline'),
    });
    issues.push(...indicatorIssues);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const column = columnOf(i.path);
        // A malformed indicator is said once, in the file's terms.
        if (column === 'indicators' && indicatorIssues.length) continue;
        issues.push({ path: `rows.${line}.${column}`, message: i.message, code: i.code });
      }
      return;
    }
    // The same company posting the same title twice in one file is a copy, not a second need.
    const identity = `${parsed.data.sponsor.creditCode}\u0000${parsed.data.title.zh ?? parsed.data.title.en}`;
    const first = seen.get(identity);
    if (first !== undefined)
      issues.push({ path: `rows.${line}`, message: `repeats the need of line ${first}`, code: 'duplicate' });
    else seen.set(identity, line);
    if (!indicatorIssues.length) out.push({ line, content: parsed.data });
  });
  return { rows: out, issues };
};

/** A competition-level issue of a row (its field, its deadline) on the row's column. */
export const rowIssue = (line: number, schemaPath: string, message: string, code: string): FieldIssue => ({
  path: `rows.${line}.${columnOf(schemaPath.split('.'))}`,
  message,
  code,
});
