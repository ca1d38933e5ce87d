/**
 * CSV for spreadsheets: RFC 4180 fields (quoted when they hold a comma, quote or line break),
 * formulas neutralized (a leading = + - @ is prefixed with '), rows joined by CRLF. Files start
 * with a UTF-8 byte-order mark so spreadsheet programs read Chinese correctly.
 */
export const csvField = (v: string | number | boolean | undefined | null) => {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const csvRow = (row: ReadonlyArray<string | number | boolean | undefined | null>) =>
  `${row.map(csvField).join(',')}\r\n`;
export const CSV_BOM = '\uFEFF';
