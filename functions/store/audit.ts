import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { randomInt } from 'node:crypto';
import { AUDIT_SHARDS, type AuditEvent, type AuditRecord, auditHash, GENESIS_HASH } from '../../shared/audit.ts';
import { conflict } from '../../shared/errors.ts';
import { documentClient, tableName } from '../runtime/aws.ts';
import { auditHeadKey, auditRecordKey, auditShardKey, stripKeys } from './keys.ts';
import { queryAll } from './query.ts';

export type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_ATTEMPTS = 20;
const RETRYABLE = new Set(['None', 'ConditionalCheckFailed', 'TransactionConflict']);

/**
 * Runs a change (transaction items) and appends its audit record in the SAME
 * transaction: either both happen or neither. The record goes to a random
 * shard's chain; when another writer took that chain's head first, the
 * attempt is repeated on another shard. A failed condition of the change
 * itself is the caller's: the exception is rethrown with the change's item
 * indexes unchanged (the audit items come last).
 */
export const transactWithAudit = async (items: TxItem[], event: AuditEvent): Promise<{ attempts: number }> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Random chains: writers that collide once are unlikely to collide again.
    const shard = randomInt(AUDIT_SHARDS);
    const read = await documentClient().send(
      new GetCommand({ TableName: tableName(), Key: auditHeadKey(event.competitionId, shard), ConsistentRead: true }),
    );
    const head = read.Item as { seq: number; hash: string } | undefined;
    const content = { ...event, shard, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
    const record: AuditRecord = { ...content, hash: auditHash(content) };
    const audit: TxItem[] = [
      {
        Put: {
          TableName: tableName(),
          Item: { ...auditRecordKey(event.competitionId, shard, record.seq), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: { ...auditHeadKey(event.competitionId, shard), seq: record.seq, hash: record.hash },
          ConditionExpression: head ? 'seq = :seen' : 'attribute_not_exists(pk)',
          ...(head ? { ExpressionAttributeValues: { ':seen': head.seq } } : {}),
        },
      },
    ];
    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: [...items, ...audit] }));
      return { attempts: attempt };
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      // Only a moved chain head or a concurrent transaction is worth another attempt; anything else
      // (a validation error, an item too large) is the caller's to see at once.
      if (reasons.some((r) => r.Code && !RETRYABLE.has(r.Code))) throw e;
      const changeRefused = reasons.slice(0, items.length).some((r) => r.Code === 'ConditionalCheckFailed');
      if (changeRefused) {
        // The caller reads the reasons of its own items only: the audit items' reasons are dropped.
        e.CancellationReasons = reasons.slice(0, items.length);
        throw e;
      }
      // The chain head moved (or a transaction conflict): try again, elsewhere, after a jittered pause
      // that grows with the attempts (full jitter, capped at 320 ms).
      await new Promise((r) => setTimeout(r, randomInt(1, 10 * 2 ** Math.min(attempt, 5))));
    }
  }
  throw conflict('AUDIT_CONTENTION', 'Too many concurrent changes; try again');
};

/** Every record and head of a competition's chains, as stored (32 chains read at a time). */
export const readAuditChains = async (competitionId: string) => {
  const readChain = async (shard: number) => {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': auditShardKey(competitionId, shard) },
      ConsistentRead: true,
    });
    const records = items
      .filter((i) => String(i.sk).startsWith('REC#'))
      .map((i) => stripKeys(i) as unknown as AuditRecord);
    const head = items.find((i) => i.sk === 'HEAD') as { seq: number; hash: string } | undefined;
    return { shard, records, head };
  };
  const chains: Array<Awaited<ReturnType<typeof readChain>>> = [];
  for (let first = 0; first < AUDIT_SHARDS; first += 32) {
    const shards = Array.from({ length: Math.min(32, AUDIT_SHARDS - first) }, (_, k) => first + k);
    chains.push(...(await Promise.all(shards.map(readChain))));
  }
  return chains;
};
