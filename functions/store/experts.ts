import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TxItem } from './audit.ts';
import type { Expert, ExpertInput } from '../../shared/review/experts.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { EXPERT_LIST, expertKey, stripKeys } from './keys.ts';
import { queryIndexAll, queryIndexPage } from './query.ts';
import { forEachConcurrently } from '../runtime/concurrency.ts';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

const PARALLEL_CHUNKS = 4;

/** The pool's item for an expert; `contentHash` lets a re-import of the same row write nothing. */
export const expertItem = (e: ExpertInput, at: string) => ({
  ...expertKey(e.email),
  gsi1pk: EXPERT_LIST,
  gsi1sk: e.email,
  ...e,
  contentHash: expertContentHash(e),
  importedAt: at,
  updatedAt: at,
});
export const expertContentHash = (e: ExpertInput) => sha256(canonicalJson(e));

/**
 * The writes that bring up to 100 experts to the given content: each one's current content hash is read
 * (BatchGet, consistent), an unchanged expert is not written at all, and each write is conditioned on
 * what was read — so a concurrent change makes the transaction fail instead of being overwritten.
 */
export const planExpertWrites = async (experts: ExpertInput[], at: string) => {
  const r = await documentClient().send(
    new BatchGetCommand({
      RequestItems: {
        [tableName()]: {
          Keys: experts.map((e) => expertKey(e.email)),
          ProjectionExpression: 'pk, contentHash',
          ConsistentRead: true,
        },
      },
    }),
  );
  // Unprocessed keys are read again one by one: a throttled batch must not look like "absent".
  const found = new Map((r.Responses?.[tableName()] ?? []).map((i) => [String(i.pk), String(i.contentHash)]));
  for (const k of r.UnprocessedKeys?.[tableName()]?.Keys ?? []) {
    const one = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: k, ConsistentRead: true, ProjectionExpression: 'pk, contentHash' }),
    );
    if (one.Item) found.set(String(one.Item.pk), String(one.Item.contentHash));
  }
  const counts: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  const writes: TxItem[] = [];
  for (const e of experts) {
    const item = expertItem(e, at);
    const current = found.get(item.pk);
    if (current === item.contentHash) {
      counts.unchanged++;
      continue;
    }
    if (current === undefined) counts.created++;
    else counts.updated++;
    writes.push({
      Put: {
        TableName: tableName(),
        Item: item,
        ...(current === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'contentHash = :h', ExpressionAttributeValues: { ':h': current } }),
      },
    });
  }
  return { writes, counts };
};

/**
 * Upserts experts by e-mail, 100 to a transaction (four at a time). A row whose content is unchanged is
 * not written at all, so re-importing a list — or retrying a request — leaves every expert exactly as it
 * was; a chunk that meets a concurrent change is planned again on fresh data.
 */
export const importExperts = async (experts: ExpertInput[], now: Date): Promise<ImportResult> => {
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  const at = now.toISOString();
  const chunks = Array.from({ length: Math.ceil(experts.length / 100) }, (_, k) =>
    experts.slice(k * 100, k * 100 + 100),
  );
  await forEachConcurrently(chunks, PARALLEL_CHUNKS, async (chunk) => {
    for (let attempt = 0; ; attempt++) {
      const { writes, counts } = await planExpertWrites(chunk, at);
      try {
        if (writes.length) await documentClient().send(new TransactWriteCommand({ TransactItems: writes }));
        result.created += counts.created;
        result.updated += counts.updated;
        result.unchanged += counts.unchanged;
        break;
      } catch (e) {
        if (!(e instanceof TransactionCanceledException) || attempt >= 4) throw e;
      }
    }
  });
  return result;
};

const toExpert = (item: Record<string, unknown>) => {
  const { contentHash: _h, ...rest } = stripKeys(item);
  return rest as unknown as Expert;
};

export const listExperts = async (limit: number, cursor?: string) => {
  const page = await queryIndexPage(EXPERT_LIST, limit, cursor);
  return { items: page.items.map(toExpert), cursor: page.cursor };
};

/** The whole pool (all pages). */
export const listAllExperts = async (): Promise<Expert[]> => (await queryIndexAll(EXPERT_LIST)).map(toExpert);

export const getExpert = async (email: string): Promise<Expert | undefined> => {
  const r = await documentClient().send(
    new GetCommand({ TableName: tableName(), Key: expertKey(email.toLowerCase()) }),
  );
  return r.Item ? (stripKeys(r.Item) as unknown as Expert) : undefined;
};
