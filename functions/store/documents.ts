import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DocumentStatus, EntryDocument, ScanOutcome } from '../../shared/documents.ts';
import { conflict } from '../../shared/errors.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { transactWithAudit } from './audit.ts';
import { documentAccessKey, documentKey, stripKeys } from './keys.ts';
import { queryAll, queryPage } from './query.ts';
import { statusUpdate } from './status-update.ts';

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * An entry's documents: one item each in the entry's partition. A document
 * moves AWAITING_UPLOAD → SCANNING (the bytes arrived and match what was
 * declared) or REJECTED, then CLEAN or INFECTED (the malware scan), each step
 * conditioned on the one before, so a redelivered event changes nothing. A
 * deleted or replaced document keeps its item (and its S3 versions): the record.
 */
const item = (d: EntryDocument) => ({ ...documentKey(d.entryId, d.documentId), ...d });
const toDocument = (i: Record<string, unknown>) => stripKeys(i) as unknown as EntryDocument;

/** Uploads not started within this time are forgotten (the bucket's lifecycle removes their bytes too). */
const AWAITING_TTL_SECONDS = 24 * 3600;

export const createDocument = async (d: EntryDocument): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...item(d), ttl: Math.floor(Date.parse(d.createdAt) / 1000) + AWAITING_TTL_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Records the document unless it exists; answers the stored one when it does (a retried request). */
export const createDocumentOnce = async (d: EntryDocument): Promise<EntryDocument | undefined> => {
  try {
    await createDocument(d);
    return undefined;
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    return getDocument(d.entryId, d.documentId);
  }
};

export const getDocument = async (entryId: string, documentId: string): Promise<EntryDocument | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: documentKey(entryId, documentId), ConsistentRead: true }),
  );
  return r.Item ? toDocument(r.Item) : undefined;
};

export const listDocuments = async (entryId: string): Promise<EntryDocument[]> =>
  (
    await queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': documentKey(entryId, '').pk, ':s': documentKey(entryId, '').sk },
      ConsistentRead: true,
    })
  )
    .map(toDocument)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.documentId.localeCompare(b.documentId));

/** Counted against an entry's limit: everything not deleted, rejected, infected or replaced. */
export const holdsSlot = (d: EntryDocument, nowMs: number) =>
  !d.replacedBy &&
  (d.status === 'SCANNING' ||
    d.status === 'CLEAN' ||
    (d.status === 'AWAITING_UPLOAD' && Date.parse(d.createdAt) + AWAITING_TTL_SECONDS * 1000 > nowMs));

const move = (
  d: EntryDocument,
  from: DocumentStatus[],
  set: Partial<EntryDocument> & { status: DocumentStatus },
  at: string,
): TxItem => {
  const update = statusUpdate(documentKey(d.entryId, d.documentId), from, set, at);
  return {
    Update: {
      ...update,
      // Once the bytes arrived the document is part of the record: it no longer expires.
      UpdateExpression: `${update.UpdateExpression} REMOVE #ttl`,
      ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#ttl': 'ttl' },
    },
  };
};

/** The bytes arrived: SCANNING (they match what was declared) or REJECTED. False when already recorded. */
export const recordUpload = async (
  d: EntryDocument,
  result: Pick<EntryDocument, 'actualSize' | 'sha256' | 'versionId' | 'reason'> & {
    status: 'SCANNING' | 'REJECTED';
  },
  at: string,
): Promise<boolean> => {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [move(d, ['AWAITING_UPLOAD'], { ...result, uploadedAt: at }, at)],
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false;
    throw e;
  }
};

/**
 * A scan verdict that overtook the byte check is parked on the document (only while it still awaits
 * its upload); the byte check applies it once it has run. False when the document moved on meanwhile.
 */
export const parkScanResult = async (d: EntryDocument, outcome: ScanOutcome, at: string): Promise<boolean> => {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [move(d, ['AWAITING_UPLOAD'], { status: 'AWAITING_UPLOAD', pendingScan: outcome }, at)],
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false;
    throw e;
  }
};

/**
 * The malware scan's result. A clean document replaces the earlier clean one
 * of the same type (and blind flag) in the same transaction; both the result
 * and the replacement go on the audit record with the file's SHA-256.
 */
export const recordScan = async (d: EntryDocument, outcome: ScanOutcome, at: string): Promise<boolean> => {
  // A milestone report's documents stand beside each other and beside the entry's own: they replace nothing.
  const replaced =
    outcome.status === 'CLEAN' && !d.milestoneId
      ? (await listDocuments(d.entryId)).filter(
          (x) =>
            x.documentId !== d.documentId &&
            x.type === d.type &&
            x.blind === d.blind &&
            x.status === 'CLEAN' &&
            !x.replacedBy &&
            !x.milestoneId,
        )
      : [];
  const items: TxItem[] = [
    move(
      d,
      ['SCANNING'],
      {
        status: outcome.status,
        scannedAt: at,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        ...(replaced[0] ? { replaces: replaced[0].documentId } : {}),
      },
      at,
    ),
    ...replaced.map((x) => move(x, ['CLEAN'], { status: 'CLEAN', replacedBy: d.documentId }, at)),
  ];
  try {
    await transactWithAudit(items, {
      competitionId: d.competitionId,
      type: `DOCUMENT_${outcome.status}`,
      subject: d.entryId,
      by: 'document-scan',
      at,
      data: {
        documentId: d.documentId,
        type: d.type,
        blind: d.blind,
        sha256: d.sha256 ?? null,
        size: d.actualSize ?? null,
        ...(replaced.length ? { replaces: replaced.map((x) => x.documentId) } : {}),
        ...(outcome.reason ? { reason: outcome.reason } : {}),
      },
    });
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException) return false;
    throw e;
  }
};

/** The applicant removes a document (before the deadline); its item and bytes stay for the record. */
export const markDeleted = async (d: EntryDocument, at: string): Promise<void> => {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          move(d, ['AWAITING_UPLOAD', 'SCANNING', 'CLEAN', 'REJECTED', 'INFECTED'], { status: 'DELETED' }, at),
        ],
      }),
    );
  } catch (e) {
    if (e instanceof TransactionCanceledException || e instanceof ConditionalCheckFailedException)
      throw conflict('DOCUMENT_ALREADY_DELETED', 'The document was deleted already');
    throw e;
  }
};

/** Notes a clean document's page count (informational: no status change, no audit entry). */
export const recordPages = async (d: EntryDocument, pages: number): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: documentKey(d.entryId, d.documentId),
      UpdateExpression: 'SET pages = :p',
      ConditionExpression: '#s = :clean',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':p': pages, ':clean': 'CLEAN' },
    }),
  );
};

/** Who opened a document, and through which link: a reviewer's assignment or a sponsor's confirmation. */
export type DocumentAccess = { documentId: string; at: string } & (
  | { reader: 'REVIEWER'; assignmentId: string; expertEmail: string; roundId: string }
  | { reader: 'SPONSOR'; trackId: string; sponsorName: string; sponsorEmail?: string }
  /** The sponsor of a need the entry answers (揭榜), with its need token. */
  | { reader: 'NEED_SPONSOR'; needId: string; sponsorName: string }
);

const readerId = (a: DocumentAccess) =>
  a.reader === 'REVIEWER' ? a.assignmentId : a.reader === 'SPONSOR' ? `SPONSOR-${a.trackId}` : `NEED-${a.needId}`;

/** Records that a reviewer or a sponsor opened a document (organizers see who opened what, and when). */
export const recordDocumentAccess = async (entryId: string, access: DocumentAccess): Promise<void> => {
  await documentClient().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...documentAccessKey(entryId, access.at, readerId(access), access.documentId), entryId, ...access },
    }),
  );
};

/** One page of the openings of an entry's documents, oldest first. */
export const listDocumentAccessesPage = async (entryId: string, limit: number, cursor?: string) => {
  const page = await queryPage({ partition: documentKey(entryId, '').pk, sortPrefix: 'DOCREAD#' }, limit, cursor);
  return {
    items: page.items.map((i) => {
      const { entryId: _e, ...a } = stripKeys(i) as unknown as DocumentAccess & { entryId: string };
      return a;
    }),
    cursor: page.cursor,
  };
};
