import * as z from 'zod';
import { contentMismatch, limitBytes } from '../../shared/documents.ts';
import { now } from '../runtime/clock.ts';
import { logger } from '../runtime/logger.ts';
import { task } from '../runtime/task.ts';
import { inspectObject, parseDocumentObjectKey, tagRefused } from '../services/document-storage.ts';
import { notePageCount } from '../services/pdf-pages.ts';
import { getCompetition } from '../store/competitions.ts';
import { getDocument, recordScan, recordUpload } from '../store/documents.ts';

/** S3's "Object Created" event as EventBridge delivers it (only the fields used). */
const objectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().optional(), 'version-id': z.string().optional() }),
  }),
});

/**
 * The bytes of an upload arrived: check them against what was declared — the
 * size, the type the magic bytes show (a "PDF" that is a ZIP or a PNG is
 * REJECTED with the reason) — record their SHA-256 and move the document to
 * SCANNING; GuardDuty's result finishes it. A redelivered event finds the
 * document past AWAITING_UPLOAD and changes nothing.
 */
export const handler = task(objectCreated, async ({ detail }) => {
  const ids = parseDocumentObjectKey(detail.object.key);
  const d = ids && (await getDocument(ids.entryId, ids.documentId));
  if (d?.status !== 'AWAITING_UPLOAD') {
    // Bytes no document awaits (an upload after its request expired, a second post): expire them.
    if (!d || (d.status === 'DELETED' && !d.uploadedAt))
      await tagRefused(detail.object.key, detail.object['version-id'], 'ORPHANED');
    logger.info('no document awaits this object', { key: detail.object.key, status: d?.status });
    return { recorded: false };
  }
  const competition = await getCompetition(d.competitionId);
  const found = await inspectObject(d.key, detail.object['version-id']);
  const limit = competition ? limitBytes(competition.documents, d.type) : Number.POSITIVE_INFINITY;
  const reason =
    found.size > limit
      ? `${found.size} bytes, over the ${limit}-byte limit`
      : contentMismatch(d.contentType, found.detectedMime);
  const recorded = await recordUpload(
    d,
    {
      status: reason ? 'REJECTED' : 'SCANNING',
      actualSize: found.size,
      sha256: found.sha256,
      ...(found.versionId ? { versionId: found.versionId } : {}),
      ...(reason ? { reason } : {}),
    },
    now().toISOString(),
  );
  if (reason) await tagRefused(d.key, found.versionId, 'REJECTED');
  // The scan's verdict may have arrived first and been parked on the document: apply it now.
  const after = recorded && !reason ? await getDocument(d.entryId, d.documentId) : undefined;
  if (after?.status === 'SCANNING' && after.pendingScan) {
    await recordScan(after, after.pendingScan, now().toISOString());
    if (after.pendingScan.status !== 'CLEAN') await tagRefused(d.key, found.versionId, after.pendingScan.status);
    else await notePageCount(after);
    return { recorded, status: after.pendingScan.status };
  }
  return { recorded, status: reason ? 'REJECTED' : 'SCANNING' };
});
