import { createHash } from 'node:crypto';
import { type Need, investmentSortKey } from '../../shared/needs.ts';
import { signatureMatcher, signatureOf } from '../../shared/need-signature.ts';
import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { INDEX } from '../function-spec.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import type { TxItem } from './audit.ts';
import { NEED_SEARCH_BLOCKS, checkedCursor, encodeCursor, needKey, needListKey, needSearchBlockKey } from './keys.ts';
import type { Page } from './query.ts';
import { batchGetAll, queryAll } from './query.ts';

/**
 * The catalogue's keyword search reads signatures, not needs (see shared/need-signature.ts). Each
 * published need has one attribute, `s_<needId>` = `<publishedAt>|<investment key>|<signature>`, on one
 * of the competition's 32 block items (by a hash of its id), written in the same transaction as the
 * need's move into or out of PUBLISHED — so the blocks never disagree with the catalogue. A block holds
 * ~560 needs (400 KB): a competition ~18,000 published needs.
 */
type SearchNeed = Pick<
  Need,
  'needId' | 'competitionId' | 'status' | 'publishedAt' | 'intendedInvestment' | 'searchText'
>;

const blockOf = (needId: string) => createHash('sha256').update(needId).digest()[0]! % NEED_SEARCH_BLOCKS;
const attribute = (needId: string) => `s_${needId}`;
const lineOf = (n: SearchNeed) =>
  `${n.publishedAt}|${investmentSortKey(n.intendedInvestment.amount)}|${signatureOf(n.searchText)}`;

/** The block writes a change of a need takes: its line added when it becomes PUBLISHED, removed when it leaves. */
export const searchBlockChanges = (before: SearchNeed | undefined, after: SearchNeed): TxItem[] => {
  const was = before?.status === 'PUBLISHED';
  const is = after.status === 'PUBLISHED';
  if (was === is) return [];
  return [blockUpdate(after.competitionId, blockOf(after.needId), is ? [after] : [], is ? [] : [after.needId])];
};

/** The block writes for many needs at once (an import): one update per block, as a transaction requires. */
export const searchBlockPuts = (needs: SearchNeed[]): TxItem[] => {
  const byBlock = new Map<number, SearchNeed[]>();
  for (const n of needs.filter((x) => x.status === 'PUBLISHED'))
    byBlock.set(blockOf(n.needId), [...(byBlock.get(blockOf(n.needId)) ?? []), n]);
  return [...byBlock].map(([block, list]) => blockUpdate(list[0]!.competitionId, block, list, []));
};

const blockUpdate = (competitionId: string, block: number, add: SearchNeed[], remove: string[]): TxItem => {
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  const sets = add.map((n, i) => {
    names[`#a${i}`] = attribute(n.needId);
    values[`:a${i}`] = lineOf(n);
    return `#a${i} = :a${i}`;
  });
  const removes = remove.map((id, i) => {
    names[`#r${i}`] = attribute(id);
    return `#r${i}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: needSearchBlockKey(competitionId, block),
      UpdateExpression: [
        sets.length ? `SET ${sets.join(', ')}` : '',
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' '),
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
};

export interface KeywordQuery {
  competitionId: string;
  sort: 'newest' | 'investment';
  terms: string[];
  /** Whether a candidate need (its stored item) passes the other filters and the terms, exactly. */
  accepts: (item: Record<string, unknown>) => boolean;
  limit: number;
  cursor?: string;
}

const SEARCH_CURSOR = 'keyword';

/**
 * A page of the keyword search: the candidates whose signature has every term's grams, in the sort's
 * order (newest or largest first, then need id), read in that order 50 at a time and checked exactly
 * until the page is full. The cursor names the last line returned, in this sort.
 */
export const keywordSearch = async (q: KeywordQuery): Promise<Page<Record<string, unknown>>> => {
  const blocks = await batchGetAll(
    Array.from({ length: NEED_SEARCH_BLOCKS }, (_, k) => needSearchBlockKey(q.competitionId, k)),
  );
  const matches = signatureMatcher(q.terms);
  const candidates: Array<{ needId: string; key: string }> = [];
  for (const block of blocks)
    for (const [name, value] of Object.entries(block)) {
      if (!name.startsWith('s_') || typeof value !== 'string') continue;
      const [publishedAt, investment, signature] = value.split('|');
      if (signature && matches(signature))
        candidates.push({
          needId: name.slice(2),
          key: `${q.sort === 'newest' ? publishedAt : investment}#${name.slice(2)}`,
        });
    }
  candidates.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  const after = decodeKeywordCursor(q.cursor, q.sort, q.competitionId);
  let next = after ? candidates.findIndex((c) => c.key < after) : 0;
  if (next < 0) next = candidates.length;
  const items: Record<string, unknown>[] = [];
  let lastReturned = '';
  while (next < candidates.length) {
    const batch = candidates.slice(next, next + 50);
    const found = new Map(
      (await batchGetAll(batch.map((c) => needKey(c.needId)))).map((item) => [String(item.needId), item]),
    );
    for (const c of batch) {
      const item = found.get(c.needId);
      if (!item || !q.accepts(item)) continue;
      // One more match than the page holds: there is a next page, which starts after the last line given.
      if (items.length === q.limit)
        return { items, cursor: encodeCursor({ [SEARCH_CURSOR]: q.sort, c: q.competitionId, after: lastReturned }) };
      items.push(item);
      lastReturned = c.key;
    }
    next += batch.length;
  }
  return { items, cursor: undefined };
};

const decodeKeywordCursor = (cursor: string | undefined, sort: string, competitionId: string) =>
  cursor
    ? (checkedCursor(
        cursor,
        (v) =>
          v[SEARCH_CURSOR] === sort &&
          v.c === competitionId &&
          typeof v.after === 'string' &&
          Object.keys(v).length === 3,
        'is not a cursor of this keyword search and sort',
      ).after as string)
    : undefined;

/**
 * Writes the lines of every published need of a competition (needs published before the blocks existed;
 * a repeat writes the same lines). At most 100 lines an update, so each expression stays within limits.
 */
export const reindexNeedSearch = async (competitionId: string): Promise<number> => {
  const needs = (await queryAll({
    IndexName: INDEX.list,
    KeyConditionExpression: 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': needListKey(competitionId, 'PUBLISHED') },
    ProjectionExpression: 'needId, competitionId, #s, publishedAt, intendedInvestment, searchText',
    ExpressionAttributeNames: { '#s': 'status' },
  })) as unknown as SearchNeed[];
  const byBlock = new Map<number, SearchNeed[]>();
  for (const n of needs) byBlock.set(blockOf(n.needId), [...(byBlock.get(blockOf(n.needId)) ?? []), n]);
  for (const [block, list] of byBlock)
    for (let i = 0; i < list.length; i += 100) {
      const { Update } = blockUpdate(competitionId, block, list.slice(i, i + 100), []) as {
        Update: UpdateCommandInput;
      };
      await documentClient().send(new UpdateCommand(Update));
    }
  return needs.length;
};
