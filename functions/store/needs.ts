import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/audit.ts';
import type { StatNeed } from '../../shared/need-statistics.ts';
import {
  type Need,
  type NeedEvent,
  type NeedAnswer,
  type NeedStatus,
  type RegionFilter,
  investmentSortKey,
  regionBucket,
} from '../../shared/needs.ts';
import { INDEX } from '../function-spec.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { checkedCursor, encodeCursor, needKey, needListKey, needCatalogueKey, stripKeys } from './keys.ts';
import { type Page, batchGetAll, queryIndexRanges, queryPage } from './query.ts';
import { createOnce, getVersioned, updateVersioned } from './versioned.ts';
import { keywordSearch, searchBlockChanges } from './need-search.ts';

/** A need as stored: the record, the sponsor token's hash, and its history (bounded, see MAX_NEED_EVENTS). */
export interface NeedRecord extends Need {
  tokenHash: string;
  history: NeedEvent[];
}

/**
 * Index attributes: every need is listed by competition and status on GSI1 — most recent change first,
 * except PUBLISHED needs, listed by intended investment (the catalogue's "largest first"). A PUBLISHED
 * need is also in the catalogue index (by publication), which projects only what the catalogue shows and
 * filters on. Leaving PUBLISHED removes these attributes, and with them the catalogue lines.
 */
const indexAttributes = (n: NeedRecord) => {
  const investment = investmentSortKey(n.intendedInvestment.amount);
  const published = n.status === 'PUBLISHED';
  return {
    gsi1pk: needListKey(n.competitionId, n.status),
    gsi1sk: published ? `${investment}#${n.needId}` : `${n.updatedAt}#${n.needId}`,
    ...(published
      ? {
          catpk: needCatalogueKey(n.competitionId),
          catsk: `${n.publishedAt}#${n.needId}`,
          regionBucket: regionBucket(n.sponsor.region),
          investmentKey: investment,
        }
      : {}),
  };
};

/** The record without the index attributes derived from it (they are written anew with every change). */
const withoutIndexAttributes = (item: Record<string, unknown>): NeedRecord => {
  const { catpk: _p, catsk: _s, regionBucket: _r, investmentKey: _i, ...record } = stripKeys(item);
  return record as unknown as NeedRecord;
};

export const createNeed = (record: NeedRecord) => createOnce(needKey(record.needId), record, indexAttributes(record));

/** A need as one item (its keys and index attributes), for writes that put many in a transaction. */
export const needItem = (record: NeedRecord) => ({ ...needKey(record.needId), ...indexAttributes(record), ...record });

export const getNeed = async (needId: string) => {
  const item = await getVersioned<Record<string, unknown>>(needKey(needId));
  return item && withoutIndexAttributes(item);
};

const vettingAudit =
  (by: string) =>
  (before: NeedRecord | undefined, after: NeedRecord): AuditEvent | undefined => {
    const step = after.history.at(-1);
    if (step?.by !== 'ORGANIZER' || before?.history.length === after.history.length) return undefined;
    return {
      competitionId: after.competitionId,
      type: `NEED_${step.action}`,
      subject: after.needId,
      by,
      at: step.at,
      data: { status: after.status, ...(step.reason ? { reason: step.reason } : {}) },
    };
  };

/**
 * Changes a need under optimistic concurrency (`version`); organizer decisions go on the competition's
 * audit record in the same transaction.
 */
export const updateNeed = (
  needId: string,
  change: (current: NeedRecord) => NeedRecord | undefined,
  organizer?: string,
) =>
  updateVersioned<NeedRecord>(
    needKey(needId),
    (current) => change(withoutIndexAttributes(current as unknown as Record<string, unknown>)),
    indexAttributes,
    organizer ? vettingAudit(organizer) : undefined,
    undefined,
    searchBlockChanges,
  );

/** The organizer's list of a competition's needs in one status: most recently changed first (PUBLISHED: largest investment first). */
export const listNeedsByStatus = async (
  competitionId: string,
  status: NeedStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<NeedRecord>> => {
  const page = await queryPage(
    { index: INDEX.list, partition: needListKey(competitionId, status) },
    limit,
    cursor,
    true,
    256 * 1024,
  );
  return { items: page.items.map(withoutIndexAttributes), cursor: page.cursor };
};

export interface CatalogueQuery {
  competitionId: string;
  sort: 'newest' | 'investment';
  field?: string;
  region?: RegionFilter;
  minInvestment?: string;
  maxInvestment?: string;
  /** OPEN: still taking answers; CLOSED: past the answer deadline. */
  status?: 'OPEN' | 'CLOSED';
  /** Every term must occur in the need's search text. */
  terms: string[];
  limit: number;
  cursor?: string;
  now: Date;
}

/** What the catalogue indexes project: one line per published need. */
export type CatalogueItem = Pick<
  Need,
  | 'needId'
  | 'title'
  | 'sponsor'
  | 'field'
  | 'intendedInvestment'
  | 'cooperation'
  | 'answerDeadline'
  | 'publishedAt'
  | 'status'
>;

/** Where each sort reads: the catalogue index (newest first) or GSI1's published list (largest first). */
const listingOf = (q: CatalogueQuery) =>
  q.sort === 'newest'
    ? { index: INDEX.catalogue, pkName: 'catpk', skName: 'catsk', partition: needCatalogueKey(q.competitionId) }
    : { index: INDEX.list, pkName: 'gsi1pk', skName: 'gsi1sk', partition: needListKey(q.competitionId, 'PUBLISHED') };

const decodeCatalogueCursor = (cursor: string | undefined, listing: ReturnType<typeof listingOf>) =>
  cursor
    ? checkedCursor(
        cursor,
        (v) =>
          v[listing.pkName] === listing.partition &&
          typeof v[listing.skName] === 'string' &&
          typeof v.pk === 'string' &&
          v.sk === 'NEED' &&
          Object.keys(v).length === 4,
        'is not a cursor of this catalogue listing and sort',
      )
    : undefined;

/**
 * One page of the catalogue, from the index of the chosen sort (no Scan): the investment range narrows
 * the key condition when sorting by investment; the other filters and the keyword terms are filter
 * expressions. Reads continue until `limit` lines match or the listing ends; the cursor is the key of
 * the last line returned, so a page never skips or repeats a line.
 */
export const queryCatalogue = async (q: CatalogueQuery): Promise<Page<CatalogueItem>> => {
  if (q.terms.length) {
    // Keywords: the signatures name the candidates; each is checked exactly here.
    const lo = q.minInvestment !== undefined ? investmentSortKey(q.minInvestment) : undefined;
    const hi = q.maxInvestment !== undefined ? investmentSortKey(q.maxInvestment) : undefined;
    const now = q.now.toISOString();
    const page = await keywordSearch({
      competitionId: q.competitionId,
      sort: q.sort,
      terms: q.terms,
      limit: q.limit,
      cursor: q.cursor,
      accepts: (item) => {
        const investment = String(item.investmentKey);
        const deadline = String(item.answerDeadline);
        return (
          item.status === 'PUBLISHED' &&
          q.terms.every((t) => String(item.searchText).includes(t)) &&
          (!q.field || item.field === q.field) &&
          (!q.region || item.regionBucket === q.region) &&
          (!lo || investment >= lo) &&
          (!hi || investment <= hi) &&
          (!q.status || (q.status === 'OPEN' ? deadline > now : deadline <= now))
        );
      },
    });
    return { items: page.items.map(toLine), cursor: page.cursor };
  }
  const listing = listingOf(q);
  const names: Record<string, string> = { '#p': listing.pkName };
  const values: Record<string, unknown> = { ':p': listing.partition };
  let keyCondition = '#p = :p';
  const filters: string[] = [];
  const lo = q.minInvestment !== undefined ? investmentSortKey(q.minInvestment) : undefined;
  const hi = q.maxInvestment !== undefined ? investmentSortKey(q.maxInvestment) : undefined;
  if (q.sort === 'investment' && (lo || hi)) {
    names['#s'] = listing.skName;
    values[':lo'] = `${lo ?? ''}#`;
    values[':hi'] = `${hi ?? '9'.repeat(17)}#\uffff`;
    keyCondition += ' AND #s BETWEEN :lo AND :hi';
  } else {
    if (lo) {
      filters.push('investmentKey >= :lo');
      values[':lo'] = lo;
    }
    if (hi) {
      filters.push('investmentKey <= :hi');
      values[':hi'] = hi;
    }
  }
  if (q.field) {
    filters.push('#field = :field');
    names['#field'] = 'field';
    values[':field'] = q.field;
  }
  if (q.region) {
    filters.push('regionBucket = :region');
    values[':region'] = q.region;
  }
  if (q.status) {
    filters.push(q.status === 'OPEN' ? 'answerDeadline > :now' : 'answerDeadline <= :now');
    values[':now'] = q.now.toISOString();
  }
  q.terms.forEach((t, i) => {
    filters.push(`contains(searchText, :t${i})`);
    values[`:t${i}`] = t;
  });

  const items: CatalogueItem[] = [];
  let start = decodeCatalogueCursor(q.cursor, listing);
  // Without filters one more line than asked tells whether a next page exists. With filters, the lines
  // read per request start small (dense matches: little read) and double (sparse matches: few requests).
  let evaluate = filters.length ? Math.max(q.limit * 2, 10) : q.limit + 1;
  for (;;) {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: listing.index,
        KeyConditionExpression: keyCondition,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        // Newest first; the largest investment first.
        ScanIndexForward: false,
        ExclusiveStartKey: start,
        Limit: evaluate,
      }),
    );
    if (filters.length) evaluate = Math.min(evaluate * 2, 6400);
    const found = r.Items ?? [];
    for (const [k, item] of found.entries()) {
      items.push(toLine(item));
      if (items.length === q.limit) {
        // More may follow: the cursor names this line, unless the listing ended exactly here.
        const more = r.LastEvaluatedKey !== undefined || k < found.length - 1;
        const key = {
          pk: item.pk,
          sk: item.sk,
          [listing.pkName]: item[listing.pkName],
          [listing.skName]: item[listing.skName],
        };
        return { items, cursor: more ? encodeCursor(key) : undefined };
      }
    }
    if (!r.LastEvaluatedKey) return { items, cursor: undefined };
    start = r.LastEvaluatedKey;
  }
};

const toLine = (item: Record<string, unknown>): CatalogueItem => ({
  needId: item.needId as string,
  title: item.title as Need['title'],
  sponsor: item.sponsor as Need['sponsor'],
  field: item.field as Need['field'],
  intendedInvestment: item.intendedInvestment as Need['intendedInvestment'],
  cooperation: item.cooperation as Need['cooperation'],
  answerDeadline: item.answerDeadline as string,
  publishedAt: item.publishedAt as string,
  status: item.status as NeedStatus,
});

/** The attributes the catalogue index projects (besides its keys). */
export const CATALOGUE_PROJECTION = [
  'needId',
  'title',
  'sponsor',
  'field',
  'intendedInvestment',
  'cooperation',
  'answerDeadline',
  'publishedAt',
  'status',
  'regionBucket',
  'investmentKey',
  'searchText',
];

/** The answers to one need, in entry-id (answer) order. */
export const listAnswers = async (
  needId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<NeedAnswer>> => {
  const page = await queryPage({ partition: needKey(needId).pk, sortPrefix: 'ANSWER#' }, limit, cursor);
  return { items: page.items.map((i) => stripKeys(i) as unknown as NeedAnswer), cursor: page.cursor };
};

/**
 * Published needs sort by intended investment: statistics read them as ranges of it in parallel (one
 * competition's 2,000 needs are ~6 MB, six pages read one after the other otherwise).
 */
const PUBLISHED_RANGES = ['100000', '300000', '1000000', '3000000', '10000000', '30000000', '100000000'].map(
  investmentSortKey,
);

/** A competition's needs in one status, only what statistics read (all of them: a few hundred bytes each). */
export const listNeedFigures = async (competitionId: string, status: NeedStatus): Promise<StatNeed[]> => {
  const items = await queryIndexRanges(
    needListKey(competitionId, status),
    status === 'PUBLISHED' ? PUBLISHED_RANGES : [],
    {
      ProjectionExpression: 'needId, #s, #f, sponsor.#r, intendedInvestment.amount, submittedAt',
      ExpressionAttributeNames: { '#s': 'status', '#f': 'field', '#r': 'region' },
    },
  );
  return items.map((i) => ({
    needId: i.needId as string,
    status: i.status as NeedStatus,
    field: i.field as StatNeed['field'],
    sponsorRegion: (i.sponsor as { region: string }).region,
    intendedInvestment: (i.intendedInvestment as { amount: string }).amount,
    ...(i.submittedAt ? { submittedAt: i.submittedAt as string } : {}),
  }));
};

/**
 * Each need's sponsor name and the experts its sponsor nominated, for review rounds: the sponsor's people
 * never review its answers, the nominated experts are preferred for them.
 */
export const getNeedPanels = async (
  needIds: string[],
): Promise<Map<string, { sponsor: string; nominated: string[] }>> => {
  const items = await batchGetAll(needIds.map(needKey), {
    projection: 'needId, sponsor.#n, nominatedExperts',
    names: { '#n': 'name' },
  });
  return new Map(
    items.map((item) => [
      String(item.needId),
      {
        sponsor: String((item.sponsor as { name: string }).name),
        nominated: (item.nominatedExperts as string[] | undefined) ?? [],
      },
    ]),
  );
};
