import * as z from 'zod';
import { csvRow } from './csv.ts';
import type { Entry } from './entry.ts';
import { roundSlug } from './ids.ts';
import type { Decision } from './review/scoring.ts';

/**
 * Exports organizers download as CSV, produced to S3 by a worker (any size: page by page from
 * DynamoDB, never through an API response) and fetched through a five-minute link. Pure: the rows.
 */
export const exportRequest = z.discriminatedUnion('kind', [
  /** A review round's decisions: rank, score, totals, advanced, and why. */
  z.strictObject({ kind: z.literal('DECISIONS_CSV'), roundId: roundSlug }),
  /** Every entry of the competition with its status and screening result. */
  z.strictObject({ kind: z.literal('ENTRIES_CSV') }),
  /** The award proposal's full final ranking (as GET …/results.csv). */
  z.strictObject({ kind: z.literal('RANKING_CSV') }),
  /** A review round's assignment dry run (JSON, as GET …/assignment-preview answers), for rounds of any size. */
  z.strictObject({ kind: z.literal('ASSIGNMENT_PREVIEW'), roundId: roundSlug }),
]);
export type ExportRequest = z.infer<typeof exportRequest>;

export const EXPORT_STATUSES = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

export interface ExportJob {
  exportId: string;
  competitionId: string;
  request: ExportRequest;
  status: ExportStatus;
  /** Where the file goes (bucket key); organizers get a short-lived link, never the key. */
  key: string;
  /** Rows written so far (progress), then in all. */
  rows: number;
  bytes?: number;
  createdAt: string;
  updatedAt: string;
  by?: string;
  finishedAt?: string;
  error?: string;
  version: number;
}

export const exportView = (j: ExportJob) => {
  const { key: _k, version: _v, ...view } = j;
  return { ...view, done: j.status === 'DONE' || j.status === 'FAILED' };
};

export const exportFileName = (j: Pick<ExportJob, 'competitionId' | 'request'>) => {
  const r = j.request;
  const name = {
    DECISIONS_CSV: () => `${'roundId' in r ? r.roundId : ''}-decisions.csv`,
    ENTRIES_CSV: () => 'entries.csv',
    RANKING_CSV: () => 'ranking.csv',
    ASSIGNMENT_PREVIEW: () => `${'roundId' in r ? r.roundId : ''}-assignment-preview.json`,
  }[r.kind]();
  return `${j.competitionId}-${name}`;
};

/** What an export's file is. */
export const exportContentType = (r: ExportRequest) =>
  r.kind === 'ASSIGNMENT_PREVIEW' ? ('application/json' as const) : ('text/csv' as const);

export const DECISION_HEADER = csvRow([
  'overallRank',
  'trackRank',
  'trackId',
  'entryId',
  'aggregate',
  'advanced',
  'decidedBy',
  'totals',
]);
export const decisionRow = (d: Decision) =>
  csvRow([d.overallRank, d.trackRank, d.trackId, d.entryId, d.aggregate, d.advanced, d.decidedBy, d.totals.join(';')]);

export const ENTRY_HEADER = csvRow([
  'entryId',
  'trackId',
  'status',
  'title',
  'organization',
  'region',
  'submittedAt',
  'screeningFailures',
  'withdrawal',
]);
export const entryRow = (e: Entry) =>
  csvRow([
    e.entryId,
    e.trackId,
    e.status,
    e.title,
    e.applicant.organizationName,
    e.applicant.region,
    e.submittedAt,
    (e.screening?.failures ?? []).map((f) => f.rule).join(';'),
    e.withdrawal ? `${e.withdrawal.kind}: ${e.withdrawal.reason}` : '',
  ]);
