import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, GetObjectTaggingCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { fileTypeFromBuffer } from 'file-type';
import {
  DOCUMENT_STATUS_TAG,
  type EntryDocument,
  type REFUSED_DOCUMENT_STATUSES,
  safeDownloadName,
} from '../../shared/documents.ts';
import { requiredEnv, s3Client } from '../runtime/aws.ts';

/**
 * The documents bucket: browser-form uploads (S3 presigned POST, whose policy
 * S3 itself enforces), short-lived downloads (presigned GET; the bucket policy
 * refuses any object GuardDuty has not tagged NO_THREATS_FOUND), and reading
 * what arrived.
 */
export const documentsBucket = () => requiredEnv('DOCUMENTS_BUCKET');

/** Where a document's bytes live: one key per document, never reused. */
export const documentObjectKey = (entryId: string, documentId: string) => `entries/${entryId}/${documentId}`;
export const parseDocumentObjectKey = (key: string) => {
  const m = /^entries\/([0-9A-HJKMNP-TV-Z]{26})\/([0-9A-HJKMNP-TV-Z]{26})$/.exec(key);
  return m ? { entryId: m[1]!, documentId: m[2]! } : undefined;
};

export const UPLOAD_SECONDS = 15 * 60;
export const DOWNLOAD_SECONDS = 5 * 60;

/** A presigned POST that lets exactly this file in: its key, its content type, at most `maxBytes`. */
export const uploadForm = async (d: { key: string; contentType: string }, maxBytes: number, nowMs: number) => {
  const { url, fields } = await createPresignedPost(s3Client(), {
    Bucket: documentsBucket(),
    Key: d.key,
    Conditions: [
      ['content-length-range', 1, maxBytes],
      ['eq', '$Content-Type', d.contentType],
    ],
    Fields: { 'Content-Type': d.contentType },
    Expires: UPLOAD_SECONDS,
  });
  return {
    url,
    fields,
    method: 'POST',
    encoding: 'multipart/form-data',
    expiresAt: new Date(nowMs + UPLOAD_SECONDS * 1000).toISOString(),
  };
};

/** A short-lived link to the stored version: a PDF opens in the browser, anything else downloads. */
export const downloadUrl = (
  d: Pick<EntryDocument, 'fileName' | 'key' | 'versionId'> & {
    contentType: EntryDocument['contentType'] | 'text/csv' | 'application/json';
  },
) => {
  const name = safeDownloadName(d.fileName);
  const disposition = d.contentType === 'application/pdf' ? 'inline' : 'attachment';
  return getSignedUrl(
    s3Client(),
    new GetObjectCommand({
      Bucket: documentsBucket(),
      Key: d.key,
      ...(d.versionId ? { VersionId: d.versionId } : {}),
      ResponseContentType: d.contentType,
      ResponseContentDisposition: `${disposition}; filename*=UTF-8''${encodeURIComponent(name)}`,
    }),
    { expiresIn: DOWNLOAD_SECONDS },
  );
};

/** How much of the start of a file the type check reads (Office files show their parts within it). */
const SNIFF_BYTES = 4 * 1024 * 1024;

/**
 * What arrived, from the bytes themselves: the size, the SHA-256 (streamed, so
 * a 500 MB video needs no memory for it) and the type its magic bytes show.
 */
export const inspectObject = async (key: string, versionId?: string) => {
  const r = await s3Client().send(
    new GetObjectCommand({ Bucket: documentsBucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  for await (const chunk of r.Body as Readable) {
    const b = chunk as Buffer;
    hash.update(b);
    size += b.length;
    if (headBytes < SNIFF_BYTES) {
      head.push(b.subarray(0, SNIFF_BYTES - headBytes));
      headBytes += Math.min(b.length, SNIFF_BYTES - headBytes);
    }
  }
  const detected = await fileTypeFromBuffer(Buffer.concat(head));
  return { size, sha256: hash.digest('hex'), detectedMime: detected?.mime, versionId: r.VersionId };
};

/**
 * Marks an object the system refused, keeping the tags it has (GuardDuty's verdict among them); the
 * bucket's lifecycle removes such objects after a day.
 */
export const tagRefused = async (
  key: string,
  versionId: string | undefined,
  status: (typeof REFUSED_DOCUMENT_STATUSES)[number],
) => {
  const target = { Bucket: documentsBucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) };
  const current = await s3Client().send(new GetObjectTaggingCommand(target));
  const others = (current.TagSet ?? []).filter((t) => t.Key !== DOCUMENT_STATUS_TAG);
  await s3Client().send(
    new PutObjectTaggingCommand({
      ...target,
      Tagging: { TagSet: [...others, { Key: DOCUMENT_STATUS_TAG, Value: status }] },
    }),
  );
};
