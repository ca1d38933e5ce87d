import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../runtime/aws.ts';
import { GSI1, decodeCursor, encodeCursor, type PagedList } from './keys.ts';

type Item = Record<string, unknown>;
type Query = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

/** One page of a list and the opaque cursor of the next (bound to that list), if there is one. */
export interface Page<T> {
  items: T[];
  cursor: string | undefined;
}

/**
 * One page of a partition (of the table or GSI1), optionally only sort keys with a prefix. With
 * `maxBytes`, the page also ends before the item that would take it past that many bytes (one item
 * is at most DynamoDB's 400 KB, so a page stays under `maxBytes` + 400 KB), its cursor right there.
 */
export const queryPage = async (
  list: PagedList,
  limit: number,
  cursor: string | undefined,
  newestFirst = false,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<Page<Item>> => {
  const [pkName, skName] = list.index ? ['gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
  const r = await documentClient().send(
    new QueryCommand({
      TableName: tableName(),
      ...(list.index ? { IndexName: list.index } : {}),
      KeyConditionExpression: list.sortPrefix ? '#p = :p AND begins_with(#s, :s)' : '#p = :p',
      ExpressionAttributeNames: { '#p': pkName, ...(list.sortPrefix ? { '#s': skName } : {}) },
      ExpressionAttributeValues: { ':p': list.partition, ...(list.sortPrefix ? { ':s': list.sortPrefix } : {}) },
      ScanIndexForward: !newestFirst,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, list),
    }),
  );
  const items: Item[] = [];
  let bytes = 0;
  for (const item of r.Items ?? []) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (items.length && bytes + size > maxBytes) {
      // The next page starts after the last item this one holds: its key is the cursor.
      const last = items.at(-1)!;
      const key = Object.fromEntries(
        (list.index ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk']).map((k) => [k, last[k]]),
      );
      return { items, cursor: encodeCursor(key) };
    }
    items.push(item);
    bytes += size;
  }
  return { items, cursor: encodeCursor(r.LastEvaluatedKey) };
};

/** One page of a GSI1 partition, with an opaque cursor bound to that partition. */
export const queryIndexPage = (gsi1pk: string, limit: number, cursor: string | undefined, newestFirst = false) =>
  queryPage({ index: GSI1, partition: gsi1pk }, limit, cursor, newestFirst);

/** Every item a query matches, reading page after page (the only such loop in the store). */
export const queryAll = async (query: Query): Promise<Item[]> => {
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({ ...query, TableName: tableName(), ExclusiveStartKey: start }),
    );
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

/**
 * Every item of one GSI1 partition, read as contiguous sort-key ranges in parallel: each range ends
 * before the next boundary, the first has no lower and the last no upper bound, so every item is read
 * exactly once whatever the boundaries. A long partition reads in a fraction of the page-after-page time.
 * Boundaries are sort-key prefixes that no sort key equals: an item `${b}#…` falls in the range that
 * starts at `b`.
 */
export const queryIndexRanges = async (
  gsi1pk: string,
  boundaries: string[],
  projection: Pick<Query, 'ProjectionExpression' | 'ExpressionAttributeNames'>,
): Promise<Item[]> => {
  const sorted = [...new Set(boundaries)].sort();
  const ranges = [undefined, ...sorted].map((lo, i) => ({ lo, hi: sorted[i] }));
  const lists = await Promise.all(
    ranges.map(({ lo, hi }) => {
      const [condition, values] =
        lo !== undefined && hi !== undefined
          ? ['gsi1sk BETWEEN :lo AND :hi', { ':lo': lo, ':hi': hi }]
          : lo !== undefined
            ? ['gsi1sk >= :lo', { ':lo': lo }]
            : hi !== undefined
              ? ['gsi1sk < :hi', { ':hi': hi }]
              : [undefined, {}];
      return queryAll({
        IndexName: GSI1,
        KeyConditionExpression: condition ? `gsi1pk = :p AND ${condition}` : 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': gsi1pk, ...values },
        ...projection,
      });
    }),
  );
  return lists.flat();
};

/** Every item of a GSI1 partition, optionally only sort keys with a prefix. */
export const queryIndexAll = (gsi1pk: string, sortKeyPrefix?: string) =>
  queryAll({
    IndexName: GSI1,
    KeyConditionExpression: sortKeyPrefix ? 'gsi1pk = :p AND begins_with(gsi1sk, :s)' : 'gsi1pk = :p',
    ExpressionAttributeValues: { ':p': gsi1pk, ...(sortKeyPrefix ? { ':s': sortKeyPrefix } : {}) },
  });

/**
 * Every item of `keys` that exists (in no particular order): 100 keys a BatchGet, `parallel` at once,
 * unprocessed keys retried with backoff (the only such loop in the store).
 */
export const batchGetAll = async (
  keys: Array<Record<string, unknown>>,
  opts: { projection?: string; names?: Record<string, string>; consistent?: boolean; parallel?: number } = {},
): Promise<Item[]> => {
  const out: Item[] = [];
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < keys.length; i += 100) batches.push(keys.slice(i, i + 100));
  const fetchBatch = async (batch: Array<Record<string, unknown>>) => {
    let pending: Array<Record<string, unknown>> | undefined = batch;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const r: BatchGetCommandOutput = await documentClient().send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: pending,
              ...(opts.consistent ? { ConsistentRead: true } : {}),
              ...(opts.projection ? { ProjectionExpression: opts.projection } : {}),
              ...(opts.names ? { ExpressionAttributeNames: opts.names } : {}),
            },
          },
        }),
      );
      out.push(...(r.Responses?.[tableName()] ?? []));
      pending = r.UnprocessedKeys?.[tableName()]?.Keys;
    }
  };
  const parallel = opts.parallel ?? 1;
  for (let i = 0; i < batches.length; i += parallel) await Promise.all(batches.slice(i, i + parallel).map(fetchBatch));
  return out;
};

/** How many items a GSI1 partition holds (Select COUNT: nothing is returned, each page still reads up to 1 MB). */
export const countIndex = async (gsi1pk: string): Promise<number> => {
  let count = 0;
  let start: Item | undefined;
  do {
    const r = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': gsi1pk },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += r.Count ?? 0;
    start = r.LastEvaluatedKey;
  } while (start);
  return count;
};
