import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Expert, ExpertInput } from '../../shared/review/experts.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { EXPERT_LIST, expertKey, stripKeys } from './keys.ts';
import { queryIndexAll, queryIndexPage } from './query.ts';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

const PARALLEL_WRITES = 16;

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
 * Upserts experts by e-mail. A row whose content is unchanged is not written at
 * all (condition on the content hash), so re-importing a list — or retrying a
 * request — leaves every expert exactly as it was.
 */
export const importExperts = async (experts: ExpertInput[], now: Date): Promise<ImportResult> => {
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  const at = now.toISOString();
  let next = 0;
  const worker = async () => {
    while (next < experts.length) {
      const e = experts[next++]!;
      const item = expertItem(e, at);
      try {
        const r = await documentClient().send(
          new PutCommand({
            TableName: tableName(),
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk) OR contentHash <> :h',
            ExpressionAttributeValues: { ':h': item.contentHash },
            ReturnValues: 'ALL_OLD',
          }),
        );
        if (r.Attributes) result.updated++;
        else result.created++;
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) result.unchanged++;
        else throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, experts.length) }, worker));
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
