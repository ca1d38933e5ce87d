import { PutObjectCommand } from '@aws-sdk/client-s3';
import { rankingCsv } from '../../shared/awards/export.ts';
import { CSV_BOM } from '../../shared/csv.ts';
import { ENTRY_STATUSES } from '../../shared/entry.ts';
import {
  DECISION_HEADER,
  ENTRY_HEADER,
  type ExportJob,
  decisionRow,
  entryRow,
  exportContentType,
  exportFileName,
} from '../../shared/exports.ts';
import { s3Client } from '../runtime/aws.ts';
import { logger } from '../runtime/logger.ts';
import { getAwards } from '../store/awards.ts';
import { getCompetition } from '../store/competitions.ts';
import { listDecisionsPage, type StoredDecision } from '../store/decisions.ts';
import { listEntries } from '../store/entries.ts';
import { getExportJob, updateExportJob } from '../store/exports.ts';
import { previewAssignment } from './assignment-preview.ts';
import { documentsBucket } from './document-storage.ts';

/** Where an export's file goes (the documents bucket's exports/ prefix; removed by lifecycle after a week). */
export const exportObjectKey = (exportId: string) => `exports/${exportId}`;

const PAGE = 500;

class ExportRefused extends Error {}

/**
 * The export's rows (or, for an assignment preview, its JSON), page by page from DynamoDB; `progress` is told the rows so far. Decisions are
 * written in rank order (sorted here: the table keeps them by entry id).
 */
const produce = async (
  job: ExportJob,
  progress: (rows: number) => Promise<void>,
): Promise<{ csv: string; rows: number }> => {
  const competition = await getCompetition(job.competitionId);
  if (!competition) throw new ExportRefused('the competition no longer exists');
  const r = job.request;
  if (r.kind === 'ASSIGNMENT_PREVIEW') {
    if (!competition.rounds.some((x) => x.roundId === r.roundId && x.kind !== 'INTAKE'))
      throw new ExportRefused(`"${r.roundId}" is not a review round of this competition`);
    const preview = await previewAssignment(competition, r.roundId);
    await progress(preview.assignments.length);
    return { csv: JSON.stringify(preview), rows: preview.assignments.length };
  }
  if (r.kind === 'RANKING_CSV') {
    const a = await getAwards(job.competitionId);
    if (!a) throw new ExportRefused('no award proposal yet');
    const awards = a.status === 'PUBLISHED' ? (a.published ?? []) : a.proposal.awards;
    const criteria = competition.rubric.criteria.map((c) => c.criterionId);
    const rows = a.proposal.ranking.length;
    await progress(rows);
    return { csv: rankingCsv(criteria, a.proposal.ranking, a.criteria, a.entries, awards), rows };
  }
  if (r.kind === 'DECISIONS_CSV') {
    if (!competition.rounds.some((x) => x.roundId === r.roundId && x.kind !== 'INTAKE'))
      throw new ExportRefused(`"${r.roundId}" is not a review round of this competition`);
    const decisions: StoredDecision[] = [];
    let cursor: string | undefined;
    do {
      const page = await listDecisionsPage(job.competitionId, r.roundId, PAGE, cursor);
      decisions.push(...page.items);
      cursor = page.cursor;
      await progress(decisions.length);
    } while (cursor);
    decisions.sort((a, b) => a.overallRank - b.overallRank);
    return { csv: CSV_BOM + DECISION_HEADER + decisions.map(decisionRow).join(''), rows: decisions.length };
  }
  const parts: string[] = [CSV_BOM, ENTRY_HEADER];
  let rows = 0;
  for (const track of competition.tracks)
    for (const status of ENTRY_STATUSES) {
      let cursor: string | undefined;
      do {
        const page = await listEntries(job.competitionId, track.trackId, status, PAGE, cursor);
        parts.push(...page.items.map(entryRow));
        rows += page.items.length;
        cursor = page.cursor;
        if (page.items.length) await progress(rows);
      } while (cursor);
    }
  return { csv: parts.join(''), rows };
};

/**
 * Produces an export to S3 and marks it DONE (or FAILED with the reason). A redelivered stream
 * record finds the job finished and does nothing; a run that died mid-way is run again whole
 * (the file is written once, at the end, to the same key).
 */
export const runExport = async (exportId: string, now: () => Date) => {
  const job = await getExportJob(exportId);
  if (!job || job.status === 'DONE' || job.status === 'FAILED') return job;
  const at = () => now().toISOString();
  await updateExportJob(exportId, ['QUEUED', 'RUNNING'], { status: 'RUNNING', rows: 0 }, at());
  try {
    const { csv, rows } = await produce(job, async (n) => {
      await updateExportJob(exportId, ['RUNNING'], { rows: n }, at());
    });
    const body = Buffer.from(csv, 'utf8');
    const fileName = exportFileName(job);
    await s3Client().send(
      new PutObjectCommand({
        Bucket: documentsBucket(),
        Key: job.key,
        Body: body,
        ContentType: `${exportContentType(job.request)}; charset=utf-8`,
        ContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      }),
    );
    await updateExportJob(exportId, ['RUNNING'], { status: 'DONE', rows, bytes: body.length, finishedAt: at() }, at());
  } catch (e) {
    if (!(e instanceof ExportRefused)) throw e; // retried by the stream's mapping, then its dead-letter queue
    logger.info('export refused', { exportId, reason: e.message });
    await updateExportJob(exportId, ['RUNNING'], { status: 'FAILED', error: e.message, finishedAt: at() }, at());
  }
  return getExportJob(exportId);
};
