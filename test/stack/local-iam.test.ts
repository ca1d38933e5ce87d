import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../../functions/runtime/aws.ts';
import { AppFunction, grantTable } from '../../infra/function.ts';
import { identifyInvoker, startDynamoGate } from '../../infra/local/dynamodb-gate.ts';
import { ensureTables, type LocalDynamo, startDynamo } from '../../infra/local/dynamodb.ts';
import { LambdaInvocationError, LocalLambdas } from '../../infra/local/lambdas.ts';
import { freePort } from '../../infra/local/stack.ts';
import { readModel, type Template } from '../../infra/local/template.ts';

/**
 * The local stack refuses what IAM would refuse a function: a CDK-defined test function granted the
 * ENTRY# partitions only, run by the local Lambda runner against the DynamoDB gate.
 */
let dynamo: LocalDynamo;
let gate: Awaited<ReturnType<typeof startDynamoGate>>;
let lambdas: LocalLambdas;
let fn: string;
let tableName: string;

beforeAll(async () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'IamTest');
  const table = new Table(stack, 'Items', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
  });
  const touch = new AppFunction(stack, 'Touch', {
    entry: 'test/fixtures/lambdas/touch-items.ts',
    environment: { TABLE_NAME: table.tableName },
  });
  grantTable(touch.role, table.tableArn, { access: 'readWrite', partitions: ['entry'] });
  const model = readModel(app.synth().getStackByName('IamTest').template as Template);
  dynamo = await startDynamo({ port: await freePort() });
  await ensureTables(dynamo.client, model.tables);
  tableName = model.tables[0]!.tableName;
  gate = await startDynamoGate({
    upstream: dynamo.endpoint,
    tables: model.tables,
    policies: new Map(model.functions.map((f) => [f.logicalId, f.policy ?? []])),
    port: 0,
  });
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: gate.endpoint,
  });
  identifyInvoker(documentClient());
  lambdas = new LocalLambdas(model.functions);
  fn = model.functions.find((f) => f.logicalId.startsWith('Touch'))!.logicalId;
}, 60_000);
afterAll(async () => {
  await gate?.close();
  await dynamo?.stop();
});

const refusal = (e: unknown) => (e instanceof LambdaInvocationError ? e.errorType : String(e));
const raw = async (pk: string) =>
  (await dynamo.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk }, sk: { S: 'X' } } }))).Item;

describe('local IAM emulation on DynamoDB (dynamodb:LeadingKeys)', () => {
  it('lets a function write and read in its own partitions', async () => {
    expect(await lambdas.invoke(fn, { op: 'put', pks: ['ENTRY#1'] })).toBe('written');
    expect(await lambdas.invoke(fn, { op: 'get', pks: ['ENTRY#1'] })).toEqual({ pk: 'ENTRY#1', sk: 'X' });
    expect(await lambdas.invoke(fn, { op: 'query', pks: ['ENTRY#1'] })).toBe(1);
  });

  it('refuses a read, a query and a write outside them with AccessDeniedException', async () => {
    for (const op of ['get', 'query', 'put'] as const) {
      const e = await lambdas.invoke(fn, { op, pks: ['COMP#c1'] }).catch((x: unknown) => x);
      expect(refusal(e)).toBe('AccessDeniedException');
    }
    expect(await raw('COMP#c1')).toBeUndefined();
  });

  it('refuses a whole transaction when one item lies outside, writing nothing', async () => {
    const e = await lambdas.invoke(fn, { op: 'transact', pks: ['ENTRY#2', 'IDEM#x'] }).catch((x: unknown) => x);
    expect(refusal(e)).toBe('AccessDeniedException');
    expect(await raw('ENTRY#2')).toBeUndefined();
    expect(await lambdas.invoke(fn, { op: 'transact', pks: ['ENTRY#2', 'ENTRY#3'] })).toBe('written');
    expect(await raw('ENTRY#3')).toBeDefined();
  });

  it('lets requests from outside any function through, as the developer’s own', async () => {
    const developer = new DynamoDBClient({ endpoint: gate.endpoint });
    await developer.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'COMP#c2' }, sk: { S: 'X' } } }));
    expect(await raw('COMP#c2')).toBeDefined();
  });
});
