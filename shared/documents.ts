import * as z from 'zod';
import { conflict } from './errors.ts';

export const DOCUMENT_TYPES = [
  'BUSINESS_PLAN',
  'TECHNICAL_PROPOSAL',
  'PATENT',
  'FINANCIAL_STATEMENT',
  'VIDEO',
  'OTHER',
] as const;

/**
 * Documents an applicant uploads (商业计划书, 技术方案, 专利, 财务报表, 路演视频 …): what
 * each type may be, how large, and the life of an upload. Pure: no storage here.
 */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Formats people send, by the MIME type the upload declares, with the file types their bytes may show. */
export const FORMATS = {
  'application/pdf': { label: 'PDF', detected: ['application/pdf'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    label: 'DOCX',
    detected: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': {
    label: 'PPTX',
    detected: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
    label: 'XLSX',
    detected: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  },
  'image/png': { label: 'PNG', detected: ['image/png'] },
  'image/jpeg': { label: 'JPEG', detected: ['image/jpeg'] },
  'video/mp4': { label: 'MP4', detected: ['video/mp4'] },
} as const;
export type ContentType = keyof typeof FORMATS;

const OFFICE: ContentType[] = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

/** Which formats each document type takes. */
export const ALLOWED_FORMATS: Record<DocumentType, ContentType[]> = {
  BUSINESS_PLAN: OFFICE,
  TECHNICAL_PROPOSAL: OFFICE,
  PATENT: ['application/pdf', 'image/png', 'image/jpeg'],
  FINANCIAL_STATEMENT: ['application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  VIDEO: ['video/mp4'],
  OTHER: [...OFFICE, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/png', 'image/jpeg'],
};

const MB = 1024 * 1024;
/** Default size limits (a competition may set its own, up to MAX_DOCUMENT_MB). */
export const DEFAULT_LIMIT_MB: Record<DocumentType, number> = {
  BUSINESS_PLAN: 50,
  TECHNICAL_PROPOSAL: 50,
  PATENT: 20,
  FINANCIAL_STATEMENT: 20,
  VIDEO: 500,
  OTHER: 20,
};
/** The largest file any type may allow; GuardDuty scans objects up to 100 GB, Lambda streams them. */
export const MAX_DOCUMENT_MB = 1024;

/** A competition's document rules (its `documents` section). */
export const documentRules = z.strictObject({
  /** Per-type size limit in MB; types not named keep the default. */
  limitsMb: z.partialRecord(z.enum(DOCUMENT_TYPES), z.number().int().min(1).max(MAX_DOCUMENT_MB)).default({}),
  /** A roadshow video (MP4) is accepted only where the competition asks for one. */
  allowVideo: z.boolean().default(false),
  /** Documents an entry may hold at once (a replacement does not count twice). */
  maxPerEntry: z.number().int().min(1).max(50).default(10),
  /**
   * The document types a blind round needs an anonymized copy of (its reviewers see only copies);
   * an entry holding an original of one of these without a copy is reported before the round starts.
   * Every type unless the competition narrows it (a patent, say, names its holder by nature).
   */
  blindCopies: z
    .array(z.enum(DOCUMENT_TYPES))
    .max(DOCUMENT_TYPES.length)
    .refine((t) => new Set(t).size === t.length, 'must not repeat a type')
    .default([...DOCUMENT_TYPES]),
});
export type DocumentRules = z.infer<typeof documentRules>;

/**
 * Upload requests one entry may make in all. Replaced, deleted and refused documents stay on the
 * record, so without a bound the lists an entry's routes read (and the blind-copy check) could grow
 * without end; 200 is twenty times the default number of documents an entry holds.
 */
export const MAX_DOCUMENT_RECORDS = 200;

export const assertDocumentHistoryRoom = (records: number): void => {
  if (records < MAX_DOCUMENT_RECORDS) return;
  throw conflict(
    'DOCUMENT_HISTORY_FULL',
    `This entry has made ${records} upload requests, the most one entry may make; ask the organizer for help`,
    { records, maxRecords: MAX_DOCUMENT_RECORDS },
  );
};

export const limitBytes = (rules: DocumentRules, type: DocumentType) =>
  (rules.limitsMb[type] ?? DEFAULT_LIMIT_MB[type]) * MB;

/** A file name as people give it, but never a path, a control character or something a header would break on. */
export const fileName = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !/[/\\]/.test(s), 'must not contain path separators')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  .refine((s) => !/[\u0000-\u001f\u007f\u2028\u2029]/.test(s), 'must not contain control characters')
  .refine((s) => s.trim() === s && s !== '.' && s !== '..', 'must not start or end with spaces');

export const createDocumentBody = z.strictObject({
  type: z.enum(DOCUMENT_TYPES),
  fileName,
  contentType: z.enum(Object.keys(FORMATS) as [ContentType, ...ContentType[]]),
  size: z.number().int().min(1),
  /** An anonymized copy for blind rounds. */
  blind: z.boolean().default(false),
});
export type CreateDocumentBody = z.infer<typeof createDocumentBody>;

export type DocumentStatus = 'AWAITING_UPLOAD' | 'SCANNING' | 'CLEAN' | 'INFECTED' | 'REJECTED' | 'DELETED';

export interface EntryDocument {
  documentId: string;
  entryId: string;
  competitionId: string;
  type: DocumentType;
  fileName: string;
  contentType: ContentType;
  /** The size declared when the upload was requested; `actualSize` is what arrived. */
  size: number;
  blind: boolean;
  status: DocumentStatus;
  /** Where the bytes are (bucket key); never shown to anyone as a URL. */
  key: string;
  createdAt: string;
  updatedAt: string;
  uploadedAt?: string;
  actualSize?: number;
  sha256?: string;
  versionId?: string;
  scannedAt?: string;
  /** A clean PDF's page count, where it could be read (shown to reviewers and sponsors). */
  pages?: number;
  /** Why a document was rejected or what the scan found. */
  reason?: string;
  /** The document of the same type this one replaces (kept for the record, no longer counted). */
  replaces?: string;
  replacedBy?: string;
  /** A scan verdict that arrived before the byte check finished; the byte check applies it. */
  pendingScan?: ScanOutcome;
  /**
   * A project manager's document for this milestone's report (the entry's funded project): on the
   * organizer's and the applicant's lists, never on a reviewer's or sponsor's, and it replaces nothing.
   */
  milestoneId?: string;
  version: number;
}

export type ScanOutcome = { status: 'CLEAN' | 'INFECTED' | 'REJECTED'; reason?: string };

/** Issues with an upload request against the rules; field paths as the API reports them. */
export const uploadIssues = (
  body: CreateDocumentBody,
  rules: DocumentRules,
): Array<{ path: string; message: string; code: string }> => {
  const issues: Array<{ path: string; message: string; code: string }> = [];
  if (body.type === 'VIDEO' && !rules.allowVideo)
    issues.push({ path: 'type', message: 'this competition takes no video', code: 'type_not_allowed' });
  if (!ALLOWED_FORMATS[body.type].includes(body.contentType))
    issues.push({
      path: 'contentType',
      message: `${body.type} takes ${ALLOWED_FORMATS[body.type].map((c) => FORMATS[c].label).join(', ')}`,
      code: 'content_type_not_allowed',
    });
  const limit = limitBytes(rules, body.type);
  if (body.size > limit)
    issues.push({ path: 'size', message: `at most ${limit} bytes for ${body.type}`, code: 'too_large' });
  return issues;
};

/**
 * What the bytes say against what was declared: the detected MIME type (from
 * magic bytes) must be one of the declared format's; a PDF that is a ZIP, or a
 * PNG sent as a PDF, is rejected with the reason.
 */
export const contentMismatch = (declared: ContentType, detectedMime: string | undefined): string | undefined => {
  const accepted: readonly string[] = FORMATS[declared].detected;
  if (detectedMime && accepted.includes(detectedMime)) return undefined;
  return `declared ${FORMATS[declared].label}, but the file is ${detectedMime ?? 'of an unknown type'}`;
};

/** The name a download offers: the original, with anything a header or a file system would trip on replaced. */
export const safeDownloadName = (name: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are replaced
  name.replace(/[\u0000-\u001f\u007f"\\/;]/g, '_').slice(0, 200);

/** The tag GuardDuty Malware Protection for S3 writes on every object it scans. */
export const SCAN_STATUS_TAG = 'GuardDutyMalwareScanStatus';
/** Our own tag on objects the system refused; the bucket's lifecycle removes them after a day. */
export const DOCUMENT_STATUS_TAG = 'document-status';
export const REFUSED_DOCUMENT_STATUSES = ['REJECTED', 'INFECTED', 'ORPHANED'] as const;
