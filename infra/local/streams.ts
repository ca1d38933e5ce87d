import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { LocalLambdas } from './lambdas.ts';
import type { LocalStreamMapping } from './template.ts';

/**
 * Runs the template's DynamoDB-stream event source mappings against DynamoDB
 * Local's streams: polls each shard, applies the mapping's filter patterns,
 * invokes the mapped function with batches of up to BatchSize records, and
 * retries from the first failed record (partial batch responses) up to the
 * mapping's retry limit — after which, as with an on-failure destination, the
 * record is set aside and logged.
 */

type Pattern = unknown;

/** The subset of EventBridge patterns Lambda filter criteria use here: literals, prefix, exists. */
export const matchesPattern = (pattern: Pattern, value: unknown): boolean => {
  if (Array.isArray(pattern)) {
    return pattern.some((p) => {
      if (p && typeof p === 'object') {
        const rule = p as Record<string, unknown>;
        if ('prefix' in rule) return typeof value === 'string' && value.startsWith(String(rule.prefix));
        if ('exists' in rule) return (value !== undefined) === rule.exists;
        throw new Error(`filter rule ${JSON.stringify(p)} is not supported by the local stream runner`);
      }
      return p === value;
    });
  }
  if (pattern && typeof pattern === 'object') {
    const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    return Object.entries(pattern as Record<string, unknown>).every(([k, p]) => matchesPattern(p, obj[k]));
  }
  throw new Error(`filter pattern ${JSON.stringify(pattern)} is not an object or a list`);
};

export const passesFilters = (patterns: Pattern[], record: unknown) =>
  !patterns.length || patterns.some((p) => matchesPattern(p, record));

interface ShardState {
  iterator?: string;
  /** Records read but not yet delivered (a failed batch is retried from here). */
  backlog: _Record[];
  attempts: number;
  closed: boolean;
  mapping: LocalStreamMapping;
}

export class LocalStreams {
  private readonly streams: DynamoDBStreamsClient;
  private readonly shards = new Map<string, ShardState>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly opts: {
      dynamo: DynamoDBClient;
      endpoint: string;
      mappings: LocalStreamMapping[];
      lambdas: LocalLambdas;
      pollMs?: number;
      onError?: (message: string, detail: unknown) => void;
    },
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint: opts.endpoint,
      region: process.env.AWS_REGION ?? 'us-east-1',
    });
  }

  start(): void {
    // Quick while records flow, backing off to a second when idle: the poller shares the machine with DynamoDB Local.
    const base = this.opts.pollMs ?? 100;
    let wait = base;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pollOnce()
        .then((delivered) => (wait = delivered ? base : Math.min(1000, wait * 2)))
        .catch((e) => this.opts.onError?.('stream poll failed', e))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, wait);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private streamArns = new Map<string, string>();
  private describedAt = 0;

  /** One pass over every mapping's shards (the shard list is refreshed every few seconds); returns how many records it delivered. */
  async pollOnce(): Promise<number> {
    let delivered = 0;
    const refresh = Date.now() - this.describedAt > 3000;
    if (refresh) this.describedAt = Date.now();
    for (const m of this.opts.mappings) {
      let streamArn = this.streamArns.get(m.tableName);
      if (!streamArn) {
        const table = await this.opts.dynamo.send(new DescribeTableCommand({ TableName: m.tableName }));
        streamArn = table.Table?.LatestStreamArn;
        if (!streamArn) throw new Error(`table ${m.tableName} has no stream; the mapping ${m.logicalId} needs one`);
        this.streamArns.set(m.tableName, streamArn);
      }
      if (refresh) {
        const d = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        for (const shard of d.StreamDescription?.Shards ?? []) {
          const key = `${m.logicalId}/${shard.ShardId}`;
          if (this.shards.has(key)) continue;
          const it = await this.streams.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shard.ShardId!,
              ShardIteratorType: m.startingPosition,
            }),
          );
          this.shards.set(key, { iterator: it.ShardIterator, backlog: [], attempts: 0, closed: false, mapping: m });
        }
      }
    }
    for (const state of this.shards.values()) delivered += await this.drain(state.mapping, state);
    return delivered;
  }

  private async drain(m: LocalStreamMapping, state: ShardState): Promise<number> {
    let delivered = 0;
    for (;;) {
      if (!state.backlog.length) {
        if (state.closed || !state.iterator) return delivered;
        const r = await this.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }));
        state.iterator = r.NextShardIterator;
        if (!r.NextShardIterator) state.closed = true;
        state.backlog.push(...(r.Records ?? []).filter((rec) => passesFilters(m.filterPatterns, rec)));
        if (!r.Records?.length) return delivered;
        continue;
      }
      const batch = state.backlog.slice(0, m.batchSize);
      let failedAt = -1;
      try {
        const result = (await this.opts.lambdas.invoke(m.functionArn, {
          Records: batch.map((r) => ({ ...r, eventSourceARN: `local:${m.tableName}` })),
        })) as { batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined;
        const failed = m.reportBatchItemFailures ? (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier) : [];
        if (failed.length) failedAt = batch.findIndex((r) => failed.includes(r.dynamodb?.SequenceNumber ?? ''));
      } catch (e) {
        failedAt = 0;
        this.opts.onError?.(`${m.logicalId}: the function failed`, e);
      }
      if (failedAt < 0) {
        delivered += batch.length;
        state.backlog.splice(0, batch.length);
        state.attempts = 0;
        continue;
      }
      state.backlog.splice(0, failedAt);
      if (++state.attempts > m.maximumRetryAttempts) {
        // Lambda would hand it to the on-failure destination; locally it is logged and skipped.
        this.opts.onError?.(
          `${m.logicalId}: record ${state.backlog[0]?.dynamodb?.SequenceNumber} set aside after ${m.maximumRetryAttempts} retries`,
          state.backlog[0],
        );
        state.backlog.shift();
        state.attempts = 0;
      }
      return delivered; // retry on the next poll
    }
  }
}
