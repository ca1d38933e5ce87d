import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { Competition } from '../../shared/competition.ts';
import { type FieldIssue, isAppError, validationError } from '../../shared/errors.ts';
import type { NeedStatus } from '../../shared/needs.ts';
import { type ImportedNeedRow, rowIssue } from '../../shared/needs-import.ts';
import { sha256 } from '../../shared/tokens.ts';
import type { NeedRecord } from '../store/needs.ts';
import { assertFitsCompetition, normalizedContent, sponsorTokenOf } from './needs.ts';

/**
 * A row's need id: a ULID whose time is the import's and whose random part is derived from the import
 * and the row, so applying a chunk again (a redelivered event, a retry) writes the same needs.
 */
export const importedNeedId = (importId: string, atMs: number, line: number): string => {
  const digest = createHash('sha256').update(`need-import:v1:${importId}:${line}`).digest();
  let i = 0;
  return ulid(atMs, () => digest[i++ % digest.length]! / 256);
};

/**
 * What the competition asks of every valid row (its field, its answer deadline), as issues on rows and
 * columns; with the file's own issues, one 422 that says everything wrong with the file.
 */
export const assertRowsFitCompetition = (
  rows: ImportedNeedRow[],
  competition: Competition,
  at: Date,
  fileIssues: FieldIssue[] = [],
) => {
  const issues: FieldIssue[] = [...fileIssues];
  for (const { line, content } of rows) {
    try {
      assertFitsCompetition(content, competition, at);
    } catch (e) {
      if (!isAppError(e)) throw e;
      for (const i of (e.details as { issues: FieldIssue[] }).issues)
        issues.push(rowIssue(line, i.path, i.message, i.code ?? 'invalid'));
    }
  }
  if (issues.length) throw validationError('Some CSV rows are invalid; nothing was imported', issues);
};

/**
 * The needs a chunk of rows becomes: submitted to vetting (or published, when the organizer vetted them
 * offline and says so), each with its sponsor token's hash and a history that names the import.
 */
export const importedNeeds = async (
  rows: ImportedNeedRow[],
  job: { importId: string; competitionId: string; createdAt: string; publish?: boolean; by?: string },
  at: string,
): Promise<NeedRecord[]> =>
  Promise.all(
    rows.map(async ({ line, content }) => {
      const needId = importedNeedId(job.importId, Date.parse(job.createdAt), line);
      const status: NeedStatus = job.publish ? 'PUBLISHED' : 'SUBMITTED';
      const step = { at, by: 'ORGANIZER' as const, ...(job.by ? { principal: job.by } : {}) };
      return {
        ...normalizedContent(content),
        needId,
        competitionId: job.competitionId,
        status,
        createdAt: at,
        updatedAt: at,
        submittedAt: at,
        ...(job.publish ? { publishedAt: at } : {}),
        importId: job.importId,
        history: [
          { ...step, action: 'CREATED', status: 'DRAFT', reason: `imported (import ${job.importId}, line ${line})` },
          { ...step, action: 'SUBMITTED', status: 'SUBMITTED' },
          ...(job.publish ? [{ ...step, action: 'PUBLISH' as const, status: 'PUBLISHED' as const }] : []),
        ],
        tokenHash: sha256(await sponsorTokenOf(needId)),
        version: 1,
      } as NeedRecord;
    }),
  );
