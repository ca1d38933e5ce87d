import { CSV_BOM, csvRow } from '../csv.ts';
import type { Award, Proposal } from './allocation.ts';

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
  return `${CSV_BOM}${[header, ...rows].map(csvRow).join('')}`;
};
