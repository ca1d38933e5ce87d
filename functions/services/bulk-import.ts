import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { isAppError, type FieldIssue } from '../../shared/errors.ts';
import { MAX_IMPORT_BYTES, MAX_STORED_ISSUES, type ImportJob, parseExpertFile } from '../../shared/imports.ts';
import { readNeedsCsv } from '../../shared/needs-import.ts';
import { s3Client } from '../runtime/aws.ts';
import { logger } from '../runtime/logger.ts';
import { requireCompetition } from '../store/competitions.ts';
import { IMPORT_CHUNK_ROWS, applyExpertChunk, getImportJob, moveImportJob } from '../store/imports.ts';
import { NEED_IMPORT_CHUNK_ROWS, applyNeedChunk } from '../store/need-imports.ts';
import { sponsorLinkMessage } from './matching.ts';
import { assertRowsFitCompetition, importedNeeds } from './need-import.ts';
import { documentsBucket } from './document-storage.ts';

/** Where an import's file is uploaded (the documents bucket's `imports/` prefix; no malware scan: it is parsed as text). */
export const importObjectKey = (importId: string) => `imports/${importId}`;
export const parseImportObjectKey = (key: string) => /^imports\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(key)?.[1];

const readFile = async (key: string, versionId?: string) => {
  const r = await s3Client().send(
    new GetObjectCommand({ Bucket: documentsBucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
  const bytes = Buffer.from(await r.Body!.transformToByteArray());
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), versionId: r.VersionId };
};

/**
 * Runs an import whose file arrived: validates the whole file (nothing is applied unless every row
 * is valid), then applies it chunk by chunk. Safe to run again at any point — a redelivered event
 * or a retry continues from the job's progress; a finished job is left as it is.
 */
export const runImport = async (importId: string, eventVersionId: string | undefined, now: () => Date) => {
  let job = await getImportJob(importId);
  if (!job || job.status === 'DONE' || job.status === 'REJECTED') return job;
  // Once validated, only that version of the file is applied; a later upload to the same key is ignored.
  if (job.versionId && eventVersionId && eventVersionId !== job.versionId) {
    logger.warn('a second upload for an import already validated; ignored', { importId, eventVersionId });
    return job;
  }
  const at = () => now().toISOString();
  if (job.status === 'AWAITING_UPLOAD') await moveImportJob(job, ['AWAITING_UPLOAD'], { status: 'VALIDATING' }, at());
  const file = await readFile(job.key, job.versionId ?? eventVersionId);
  let plan: ImportPlan;
  try {
    if (file.bytes.length > MAX_IMPORT_BYTES) throw new Error(`the file is over ${MAX_IMPORT_BYTES} bytes`);
    plan = await planImport(job, file.bytes.toString('utf8'), now());
  } catch (e) {
    const issues: FieldIssue[] = isAppError(e)
      ? ((e.details as { issues?: FieldIssue[] } | undefined)?.issues ?? [
          { path: 'file', message: e.message, code: e.code },
        ])
      : [{ path: 'file', message: (e as Error).message, code: 'unreadable' }];
    await moveImportJob(
      job,
      ['AWAITING_UPLOAD', 'VALIDATING'],
      {
        status: 'REJECTED',
        issues: issues.slice(0, MAX_STORED_ISSUES),
        issueCount: issues.length,
        sha256: file.sha256,
        bytes: file.bytes.length,
        ...(file.versionId ? { versionId: file.versionId } : {}),
        finishedAt: at(),
      },
      at(),
    );
    return getImportJob(importId);
  }
  await moveImportJob(
    job,
    ['AWAITING_UPLOAD', 'VALIDATING'],
    {
      status: 'APPLYING',
      rows: plan.rows,
      sha256: file.sha256,
      bytes: file.bytes.length,
      ...(file.versionId ? { versionId: file.versionId } : {}),
    },
    at(),
  );
  job = (await getImportJob(importId))!;
  // Another run validated another version first: that one is applied, by that run.
  if (job.sha256 !== file.sha256) return job;
  while (job.status === 'APPLYING' && job.appliedRows < plan.rows) {
    await plan.applyChunk(job.appliedRows, at());
    job = (await getImportJob(importId))!;
  }
  if (job.status === 'APPLYING') await moveImportJob(job, ['APPLYING'], { status: 'DONE', finishedAt: at() }, at());
  const done = (await getImportJob(importId)) as ImportJob;
  logger.info('import finished', { importId, status: done.status, rows: done.rows, created: done.created });
  return done;
};

/** A validated file: how many rows it holds, and how to apply the chunk that starts at a row. */
interface ImportPlan {
  rows: number;
  applyChunk: (start: number, at: string) => Promise<unknown>;
}

/** Validates the whole file for its kind (throws a 422 naming rows and columns) and plans its chunks. */
const planImport = async (job: ImportJob, text: string, at: Date): Promise<ImportPlan> => {
  if (job.kind === 'EXPERTS') {
    const experts = parseExpertFile(text, job.contentType);
    return {
      rows: experts.length,
      applyChunk: (start, iso) =>
        applyExpertChunk(job.importId, start, experts.slice(start, start + IMPORT_CHUNK_ROWS), iso),
    };
  }
  const competitionId = job.competitionId!;
  // The competition's rules are checked once, before anything is applied; a run that resumes an
  // applying job does not judge the same rows again against a later clock.
  const { rows, issues } = readNeedsCsv(text);
  if (job.status !== 'APPLYING') assertRowsFitCompetition(rows, await requireCompetition(competitionId), at, issues);
  else if (issues.length) throw new Error('a validated needs file no longer reads the same');
  return {
    rows: rows.length,
    applyChunk: async (start, iso) => {
      const chunk = rows.slice(start, start + NEED_IMPORT_CHUNK_ROWS);
      const needs = await importedNeeds(chunk, { ...job, competitionId }, iso);
      // Each sponsor gets its signed link, written with its need (the companies have no token otherwise).
      const messages = needs.map((n) => sponsorLinkMessage(n, 1, new Date(iso)));
      return applyNeedChunk({ importId: job.importId, competitionId, by: job.by }, start, needs, messages, iso);
    },
  };
};
