import type { Award, Proposal } from './allocation.ts';

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formulas neutralized for spreadsheets. */
const field = (v: string | number | undefined) => {
  let s = v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The full final ranking as CSV: rank, track rank, entry, title, organization,
 * final score, the mean of each criterion, and the awards held. UTF-8 with a
 * byte-order mark so spreadsheet programs read the Chinese text correctly.
 */
export const rankingCsv = (
  criteria: string[],
  ranking: Proposal['ranking'],
  means: Record<string, Record<string, number>>,
  entries: Record<string, { title: string; organizationName: string }>,
  awards: Award[],
) => {
  const header = [
    'rank',
    'trackRank',
    'trackId',
    'entryId',
    'title',
    'organization',
    'score',
    ...criteria.map((c) => `mean.${c}`),
    'awards',
  ];
  const rows = ranking.map((r) => [
    r.rank,
    r.trackRank,
    r.trackId,
    r.entryId,
    entries[r.entryId]?.title,
    entries[r.entryId]?.organizationName,
    r.score,
    ...criteria.map((c) => means[r.entryId]?.[c]),
    awards
      .filter((a) => a.entryId === r.entryId)
      .map((a) => a.awardId)
      .join(';'),
  ]);
  return `\uFEFF${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
};
