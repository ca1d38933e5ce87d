import * as z from 'zod';
import { now } from '../runtime/clock.ts';
import { logger } from '../runtime/logger.ts';
import { task } from '../runtime/task.ts';
import { parseDocumentObjectKey, tagRefused } from '../services/document-storage.ts';
import { notePageCount } from '../services/pdf-pages.ts';
import { getDocument, parkScanResult, recordScan } from '../store/documents.ts';

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
 * never silently passed. A result that overtakes the byte check is parked on
 * the document, and the byte check applies it when it has run.
 */
export const handler = task(scanResult, async ({ detail }) => {
  const ids = parseDocumentObjectKey(detail.s3ObjectDetails.objectKey);
  const d = ids && (await getDocument(ids.entryId, ids.documentId));
  if (!d) {
    logger.info('scan result for an object that is no document; ignored', { key: detail.s3ObjectDetails.objectKey });
    return { recorded: false };
  }
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
  const at = now().toISOString();
  let current = d;
  if (current.status === 'AWAITING_UPLOAD') {
    if (await parkScanResult(current, outcome, at)) return { recorded: false, status: 'PARKED' };
    current = (await getDocument(current.entryId, current.documentId))!; // the byte check ran meanwhile
  }
  if (current.status !== 'SCANNING') return { recorded: false, status: current.status };
  const recorded = await recordScan(current, outcome, at);
  if (outcome.status !== 'CLEAN') await tagRefused(d.key, detail.s3ObjectDetails.versionId, outcome.status);
  else if (recorded) await notePageCount(current);
  return { recorded, status: outcome.status };
});
