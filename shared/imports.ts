import * as z from 'zod';
import { validationError, type FieldIssue } from './errors.ts';
import { fileName } from './documents.ts';
import { slug } from './ids.ts';
import { assertUniqueEmails, expertInput, expertsFromCsv, type ExpertInput } from './review/experts.ts';

/**
 * Bulk imports (experts; enterprise needs collected offline): a file uploaded to S3 through a presigned
 * POST, validated all-or-nothing, applied asynchronously in chunks that each commit with the job's
 * progress, so a re-run continues where the last one stopped and counts every row exactly once.
 * Pure: no storage here.
 */
export const IMPORT_KINDS = ['EXPERTS', 'NEEDS'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_CONTENT_TYPES = ['text/csv', 'application/json'] as const;
export type ImportContentType = (typeof IMPORT_CONTENT_TYPES)[number];

/** The largest import file (S3 refuses a larger upload: the POST policy's content-length-range). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Rows one import may hold (10,000 experts import in the benchmark). */
export const MAX_IMPORT_ROWS = 20_000;
/** Validation issues kept on the job (the count says how many there were in all). */
export const MAX_STORED_ISSUES = 100;

/**
 * EXPERTS: the pool (CSV or JSON). NEEDS: one competition's needs (CSV, see shared/needs-import.ts), into
 * the vetting queue — or published at once with `publish: true` when the organizer vetted them offline.
 */
export const createImportBody = z
  .strictObject({
    kind: z.enum(IMPORT_KINDS),
    contentType: z.enum(IMPORT_CONTENT_TYPES),
    fileName: fileName.optional(),
    competitionId: slug.optional(),
    publish: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'NEEDS') {
      if (!b.competitionId)
        ctx.addIssue({ code: 'custom', path: ['competitionId'], message: 'a needs import names its competition' });
      if (b.contentType !== 'text/csv')
        ctx.addIssue({ code: 'custom', path: ['contentType'], message: 'needs are imported from CSV (text/csv)' });
    } else {
      for (const key of ['competitionId', 'publish'] as const)
        if (b[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'only a needs import takes this' });
    }
  });

export const IMPORT_STATUSES = ['AWAITING_UPLOAD', 'VALIDATING', 'REJECTED', 'APPLYING', 'DONE'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportJob {
  importId: string;
  kind: ImportKind;
  contentType: ImportContentType;
  fileName?: string;
  /** NEEDS: the competition the needs are for, and whether they are published at once. */
  competitionId?: string;
  publish?: boolean;
  status: ImportStatus;
  /** Where the file is (bucket key); never shown as a URL. */
  key: string;
  createdAt: string;
  updatedAt: string;
  /** Who asked for the import (the IAM principal in AWS). */
  by?: string;
  sha256?: string;
  bytes?: number;
  /** The S3 version of the file that was validated: the only one ever applied. */
  versionId?: string;
  /** Data rows the file holds, once validated. */
  rows?: number;
  /** Rows applied so far, in file order (a re-run continues from here). */
  appliedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Why the file was refused: the first MAX_STORED_ISSUES issues, with row/column paths. */
  issues?: FieldIssue[];
  issueCount?: number;
  finishedAt?: string;
  version: number;
}

/** What organizers see of a job: never the storage key. */
export const importView = (j: ImportJob) => {
  const { key: _k, version: _v, ...view } = j;
  return { ...view, done: j.status === 'DONE' || j.status === 'REJECTED' };
};

const jsonImport = z.strictObject({ experts: z.array(expertInput).min(1).max(MAX_IMPORT_ROWS) });

/**
 * Parses and validates a whole expert file — CSV (the same columns as `POST /admin/experts/csv`) or
 * JSON (`{"experts": [...]}`, as `POST /admin/experts`) — or throws a validation error whose issues
 * name rows and columns (`rows.<line>.<column>`, `experts.<index>.<field>`).
 */
export const parseExpertFile = (text: string, contentType: ImportContentType): ExpertInput[] => {
  if (contentType === 'text/csv') return expertsFromCsv(text, MAX_IMPORT_ROWS);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw validationError('The file is not JSON', [
      { path: 'file', message: (e as Error).message, code: 'invalid_json' },
    ]);
  }
  const r = jsonImport.safeParse(data);
  if (!r.success)
    throw validationError(
      'Some experts are invalid; nothing was imported',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
    );
  assertUniqueEmails(r.data.experts, (i) => `experts.${i}`);
  return r.data.experts;
};
