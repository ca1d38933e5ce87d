import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PDFDocument } from 'pdf-lib';
import type { EntryDocument } from '../../shared/documents.ts';
import { s3Client } from '../runtime/aws.ts';
import { logger } from '../runtime/logger.ts';
import { recordPages } from '../store/documents.ts';
import { documentsBucket } from './document-storage.ts';

/**
 * A clean PDF's page count (informational), in a module of its own: pdf-lib is about 420 KB of bundle,
 * and only the two functions that note page counts should load it.
 */

/** PDFs larger than this are not opened to count their pages (the count is informational). */
export const PAGE_COUNT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A clean PDF's page count, or undefined where it cannot be read (too large, damaged, not a PDF
 * after all). Runs only after GuardDuty tagged the object clean: the bucket policy allows nothing else.
 */
export const countPdfPages = async (d: EntryDocument): Promise<number | undefined> => {
  if (d.contentType !== 'application/pdf' || (d.actualSize ?? d.size) > PAGE_COUNT_MAX_BYTES) return undefined;
  const r = await s3Client().send(
    new GetObjectCommand({ Bucket: documentsBucket(), Key: d.key, ...(d.versionId ? { VersionId: d.versionId } : {}) }),
  );
  const bytes = await r.Body!.transformToByteArray();
  // A PDF ends with its cross-reference pointer; without one, pdf-lib would search the whole file for
  // objects (seconds per megabyte of garbage), so such a file gets no count.
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  if (!tail.includes('startxref')) return undefined;
  try {
    const pdf = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
    return pdf.getPageCount();
  } catch {
    return undefined;
  }
};

/** After a clean verdict: note the page count where it can be read; a failure only loses the count. */
export const notePageCount = async (d: EntryDocument) => {
  try {
    const pages = await countPdfPages(d);
    if (pages !== undefined) await recordPages(d, pages);
  } catch (e) {
    logger.warn('could not count the pages of a clean document', { documentId: d.documentId, error: String(e) });
  }
};
