import { validationError } from '../../shared/errors.ts';
import { INDEX, PARTITION as P } from '../function-spec.ts';

/**
 * Single-table key design (see README "Data model"). Every access pattern is a
 * GetItem, a Query on the base table or on GSI1, or a transaction; never a Scan.
 *
 * | item                 | pk                                   | sk               | gsi1pk                                   | gsi1sk               |
 * |----------------------|--------------------------------------|------------------|------------------------------------------|----------------------|
 * | competition          | COMP#<competitionId>                 | COMP             | COMPS#<status>                           | <createdAt>#<id>     |
 * | round run            | COMP#<competitionId>                 | ROUND#<roundId>  |                                          |                      |
 * | entry                | ENTRY#<entryId>                      | ENTRY            | COMP#<cid>#TRACK#<tid>#STATUS#<status>   | <entryId>            |
 * | submission register  | SUBMITTED#<cid>#<tid>#<shard 0-7>   | <entryId>        |                                          |                      |
 * | entry document       | ENTRY#<entryId>                      | DOC#<documentId> |                                          |                      |
 * | document opened      | ENTRY#<entryId>                      | DOCREAD#<at>#<readerId>#<documentId>     |                  |                      |
 * | org-per-track guard  | GUARD#<cid>#<tid>#<organizationKey>  | GUARD            |                                          |                      |
 * | idempotency record   | IDEM#<scope>#<key>                   | IDEM             |                                          |                      |
 * | expert (专家库)       | EXPERT#<email>                       | EXPERT           | EXPERTS                                  | <email>              |
 * | bulk import job      | IMPORT#<importId>                    | IMPORT           |                                          |                      |
 * | CSV export job       | EXPORT#<exportId>                    | EXPORT           |                                          |                      |
 * | review assignment    | ASSIGN#<assignmentId>                | ASSIGN           | REVIEWS#<cid>#<rid>                      | <entryId>#<email>    |
 * | review revision      | ASSIGN#<assignmentId>                | REV#<n, 6 digits> |                                         |                      |
 * | expert's round home | ASSIGN#HOME-<homeId>                 | HOME             |                                          |                      |
 * | … one per assignment | ASSIGN#HOME-<homeId>                 | A#<assignmentId> |                                          |                      |
 * | outbox message       | OUTBOX#<cid>#<rid>                   | <messageKey>     |                                          |                      |
 * | round decision       | COMP#<cid>                           | DECISION#<rid>#<entryId> | ADV#<cid>#<rid> (advanced only)  | <entryId>            |
 * | assignment report    | COMP#<competitionId>                 | REPORT#<rid>#ASSIGNMENT#<n, 3 digits> |                     |                      |
 * | awards (proposal…)   | COMP#<cid>                           | AWARDS           |                                          |                      |
 * | awards history line  | COMP#<cid>                           | AWARDLOG#<n, 6 digits> |                                    |                      |
 * | funded project       | PROJECT#<projectId>                  | PROJECT          | PROJECTS                                 | <cid>#<projectId>    |
 * | project log line     | PROJECT#<projectId>                  | LOG#<n, 6 digits> |                                         |                      |
 * | audit record         | AUDIT#<cid>#<shard>                  | REC#<seq, 12 digits> |                                      |                      |
 * | audit chain head     | AUDIT#<cid>#<shard>                  | HEAD             |                                          |                      |
 * | enterprise need      | NEED#<needId>                        | NEED             | NEEDS#<cid>#<status>                     | <updatedAt>#<id> (PUBLISHED: <investment>#<id>) |
 *   … and, while PUBLISHED, on the catalogue index: catpk NEEDCAT#<cid>, catsk <publishedAt>#<id>
 * | answer to a need     | NEED#<needId>                        | ANSWER#<entryId> | ANSWERS#<cid>                            | <needId>#<entryId>   |
 * | matchmaking meeting  | NEED#<needId>                        | MEETING#<entryId>#<meetingId> | MEETINGS#<cid>              | <needId>#<meetingId> |
 * | deal (签约)           | NEED#<needId>                        | DEAL#<dealId>    | DEALS#<cid>                              | <recordedAt>#<dealId> |
 * | need search block    | COMP#<competitionId>                 | NEEDSIG#<00–31>  | (one attribute s_<needId> per published need: sort keys and signature) |
 */
export const GSI1 = INDEX.list;

export const competitionKey = (competitionId: string) => ({ pk: `${P.competition}${competitionId}`, sk: 'COMP' });
export const competitionListKey = (status: string) => `COMPS#${status}`;
export const roundKey = (competitionId: string, roundId: string) => ({
  pk: `${P.competition}${competitionId}`,
  sk: `ROUND#${roundId}`,
});
export const entryKey = (entryId: string) => ({ pk: `${P.entry}${entryId}`, sk: 'ENTRY' });
export const documentKey = (entryId: string, documentId: string) => ({
  pk: `${P.entry}${entryId}`,
  sk: `DOC#${documentId}`,
});
/** One opening of a document; `readerId` is the review assignment or `SPONSOR-<trackId>` whose link was used. */
export const documentAccessKey = (entryId: string, at: string, readerId: string, documentId: string) => ({
  pk: `${P.entry}${entryId}`,
  sk: `DOCREAD#${at}#${readerId}#${documentId}`,
});
export const entryIndexKey = (competitionId: string, trackId: string, status: string) =>
  `COMP#${competitionId}#TRACK#${trackId}#STATUS#${status}`;
/**
 * The entries of a track that are SUBMITTED and not yet screened, in the base
 * table so screening can read them strongly consistently; eight partitions per
 * track spread the writes of a deadline rush.
 */
export const SUBMISSION_SHARDS = 8;
export const submissionShard = (entryId: string) =>
  [...entryId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % SUBMISSION_SHARDS;
export const submissionRegisterPk = (competitionId: string, trackId: string, shard: number) =>
  `${P.submissions}${competitionId}#${trackId}#${shard}`;
export const submissionKey = (competitionId: string, trackId: string, entryId: string) => ({
  pk: submissionRegisterPk(competitionId, trackId, submissionShard(entryId)),
  sk: entryId,
});
export const guardKey = (competitionId: string, trackId: string, organizationKey: string) => ({
  pk: `${P.guard}${competitionId}#${trackId}#${organizationKey}`,
  sk: 'GUARD',
});
export const expertKey = (email: string) => ({ pk: `${P.expert}${email}`, sk: 'EXPERT' });
export const importJobKey = (importId: string) => ({ pk: `${P.importJob}${importId}`, sk: 'IMPORT' });
export const exportJobKey = (exportId: string) => ({ pk: `${P.exportJob}${exportId}`, sk: 'EXPORT' });
export const EXPERT_LIST = 'EXPERTS';
export const assignmentKey = (assignmentId: string) => ({ pk: `${P.assignment}${assignmentId}`, sk: 'ASSIGN' });
/** An expert's home in one round (the expert-home link's subject) and, beside it, a pointer per assignment. */
export const expertHomeKey = (homeId: string) => ({ pk: `${P.assignment}HOME-${homeId}`, sk: 'HOME' });
export const expertHomeAssignmentKey = (homeId: string, assignmentId: string) => ({
  pk: `${P.assignment}HOME-${homeId}`,
  sk: `A#${assignmentId}`,
});
export const reviewRevisionKey = (assignmentId: string, n: number) => ({
  pk: `${P.assignment}${assignmentId}`,
  sk: `REV#${String(n).padStart(6, '0')}`,
});
export const roundReviewsKey = (competitionId: string, roundId: string) => `REVIEWS#${competitionId}#${roundId}`;
export const outboxKey = (competitionId: string, roundId: string, messageKey: string) => ({
  pk: `${P.outbox}${competitionId}#${roundId}`,
  sk: messageKey,
});
export const decisionKey = (competitionId: string, roundId: string, entryId: string) => ({
  pk: `${P.competition}${competitionId}`,
  sk: `DECISION#${roundId}#${entryId}`,
});
export const advancedIndexKey = (competitionId: string, roundId: string) => `ADV#${competitionId}#${roundId}`;
export const assignmentReportKey = (competitionId: string, roundId: string, part: number) => ({
  pk: `${P.competition}${competitionId}`,
  sk: `REPORT#${roundId}#ASSIGNMENT#${String(part).padStart(3, '0')}`,
});
export const awardsKey = (competitionId: string) => ({ pk: `${P.competition}${competitionId}`, sk: 'AWARDS' });
export const projectKey = (projectId: string) => ({ pk: `${P.project}${projectId}`, sk: 'PROJECT' });
export const PROJECT_LIST = 'PROJECTS';
export const auditShardKey = (competitionId: string, shard: number) => `${P.audit}${competitionId}#${shard}`;
export const auditRecordKey = (competitionId: string, shard: number, seq: number) => ({
  pk: auditShardKey(competitionId, shard),
  sk: `REC#${String(seq).padStart(12, '0')}`,
});
export const auditHeadKey = (competitionId: string, shard: number) => ({
  pk: auditShardKey(competitionId, shard),
  sk: 'HEAD',
});
export const idempotencyKey = (scope: string, key: string) => ({ pk: `${P.idempotency}${scope}#${key}`, sk: 'IDEM' });
export const needKey = (needId: string) => ({ pk: `${P.need}${needId}`, sk: 'NEED' });
/** 揭榜: an entry's answer to a need, beside the need (its sponsor lists them with one Query). */
export const needAnswerKey = (needId: string, entryId: string) => ({
  pk: `${P.need}${needId}`,
  sk: `ANSWER#${entryId}`,
});
/** 对接: a meeting the sponsor proposed to the solver of one answer (its sort key groups them by answer). */
export const meetingKey = (needId: string, entryId: string, meetingId: string) => ({
  pk: `${P.need}${needId}`,
  sk: `MEETING#${entryId}#${meetingId}`,
});
/** 签约: a deal recorded for a need. */
export const dealKey = (needId: string, dealId: string) => ({ pk: `${P.need}${needId}`, sk: `DEAL#${dealId}` });
/** The keyword search's signature blocks of a competition's published needs (block 0–31 by need id). */
export const NEED_SEARCH_BLOCKS = 32;
export const needSearchBlockKey = (competitionId: string, block: number) => ({
  pk: `${P.competition}${competitionId}`,
  sk: `NEEDSIG#${String(block).padStart(2, '0')}`,
});
/** GSI1: every answer, meeting or deal of a competition's needs (statistics; the organizer's deal list). */
export const needActivityListKey = (kind: 'ANSWERS' | 'MEETINGS' | 'DEALS', competitionId: string) =>
  `${kind}#${competitionId}`;
/** GSI1: a competition's needs in one status. */
export const needListKey = (competitionId: string, status: string) => `NEEDS#${competitionId}#${status}`;
/** The catalogue index: a competition's published needs. */
export const needCatalogueKey = (competitionId: string) => `NEEDCAT#${competitionId}`;

/** Strips storage attributes before an item leaves the store. */
export const stripKeys = <T extends Record<string, unknown>>(item: T) => {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, ttl: _e, ...rest } = item;
  return rest;
};

export const encodeCursor = (key: Record<string, unknown> | undefined) =>
  key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;

/**
 * A cursor's content if `valid` accepts it, else the one 422 every list gives for a cursor it did not issue
 * (a forged one, another list's, another sort's).
 */
export const checkedCursor = (
  cursor: string,
  valid: (v: Record<string, unknown>) => boolean,
  message: string,
): Record<string, unknown> => {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (!v || typeof v !== 'object' || !valid(v as Record<string, unknown>))
    throw validationError('Invalid cursor', [{ path: 'query.cursor', message, code: 'invalid_cursor' }]);
  return v as Record<string, unknown>;
};

/** A cursor into a list held in one item (bounded by the item's size): the list's name and an offset. */
export const encodeOffsetCursor = (list: string, offset: number, total: number) =>
  offset < total ? Buffer.from(JSON.stringify({ list, offset }), 'utf8').toString('base64url') : undefined;
export const decodeOffsetCursor = (cursor: string | undefined, list: string): number => {
  if (!cursor) return 0;
  let v: { list?: unknown; offset?: unknown } | undefined;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (v?.list !== list || !Number.isInteger(v.offset) || (v.offset as number) < 0)
    throw validationError('Invalid cursor', [
      { path: 'query.cursor', message: 'not a cursor issued for this list', code: 'invalid_cursor' },
    ]);
  return v.offset as number;
};

/** Which items a page is read from: a partition of the table or of GSI1, optionally a sort-key prefix. */
export interface PagedList {
  index?: typeof GSI1;
  partition: string;
  sortPrefix?: string;
}

/**
 * A cursor is only valid for the list it was issued for (its partition and sort-key prefix);
 * anything else is a client error, never a query DynamoDB would refuse.
 */
export const decodeCursor = (
  cursor: string | undefined,
  list: PagedList | string,
): Record<string, unknown> | undefined => {
  if (!cursor) return undefined;
  const { index, partition, sortPrefix } = typeof list === 'string' ? { index: GSI1, partition: list } : list;
  const [pkName, skName] = index ? ['gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const key = v as Record<string, unknown> | undefined;
  if (
    !key ||
    typeof key !== 'object' ||
    key[pkName] !== partition ||
    (sortPrefix !== undefined && !String(key[skName] ?? '').startsWith(sortPrefix)) ||
    Object.values(key).some((x) => typeof x !== 'string')
  ) {
    throw validationError('Invalid cursor', [
      { path: 'query.cursor', message: 'not a cursor issued for this list', code: 'invalid_cursor' },
    ]);
  }
  return key;
};
