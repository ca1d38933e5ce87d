import * as z from 'zod';
import { now } from '../runtime/clock.ts';
import { logger } from '../runtime/logger.ts';
import { task, TaskError } from '../runtime/task.ts';
import { parseDocumentObjectKey, tagRefused } from '../services/document-storage.ts';
import { getDocument, recordScan } from '../store/documents.ts';

/** GuardDuty Malware Protection for S3's result event (only the fields used). */
const scanResult = z.object({
  'detail-type': z.literal('GuardDuty Malware Protection Object Scan Result'),
  detail: z.object({
    scanStatus: z.string(),
    s3ObjectDetails: z.object({ bucketName: z.string(), objectKey: z.string(), versionId: z.string().optional() }),
    scanResultDetails: z.object({
      scanResultStatus: z.string(),
      threats: z
        .array(z.object({ name: z.string() }))
        .nullish()
        .transform((t) => t ?? []),
    }),
  }),
});

/**
 * Records GuardDuty's verdict on a document: NO_THREATS_FOUND → CLEAN,
 * THREATS_FOUND → INFECTED (with the threats' names); a scan that could not
 * complete (UNSUPPORTED, ACCESS_DENIED, FAILED) → REJECTED with that reason,
 * never silently passed. A result that overtakes the upload check fails, so
 * Lambda retries it once the document is SCANNING.
 */
export const handler = task(scanResult, async ({ detail }) => {
  const ids = parseDocumentObjectKey(detail.s3ObjectDetails.objectKey);
  const d = ids && (await getDocument(ids.entryId, ids.documentId));
  if (!d) {
    logger.info('scan result for an object that is no document; ignored', { key: detail.s3ObjectDetails.objectKey });
    return { recorded: false };
  }
  if (d.status === 'AWAITING_UPLOAD') throw new TaskError('NotReady', 'the upload check has not run yet; retry');
  if (d.status !== 'SCANNING') return { recorded: false, status: d.status };
  const verdict = detail.scanResultDetails.scanResultStatus;
  const outcome =
    verdict === 'NO_THREATS_FOUND'
      ? ({ status: 'CLEAN' } as const)
      : verdict === 'THREATS_FOUND'
        ? ({
            status: 'INFECTED',
            reason: `malware: ${detail.scanResultDetails.threats.map((t) => t.name).join(', ') || 'unnamed threat'}`,
          } as const)
        : ({ status: 'REJECTED', reason: `the malware scan could not complete (${verdict})` } as const);
  const recorded = await recordScan(d, outcome, now().toISOString());
  if (outcome.status !== 'CLEAN') await tagRefused(d.key, detail.s3ObjectDetails.versionId, outcome.status);
  return { recorded, status: outcome.status };
});
