import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { AppFunction } from '../../infra/function.ts';
import { LocalLambdas } from '../../infra/local/lambdas.ts';
import { startSfnEndpoint } from '../../infra/local/sfn-endpoint.ts';
import { LocalStepFunctions } from '../../infra/local/stepfunctions.ts';
import { readModel, type LocalModel, type Template } from '../../infra/local/template.ts';

/**
 * The local Step Functions engine and endpoint, on a CDK-defined test stack with
 * a `.waitForTaskToken` task (later rounds depend on callbacks) and a failing task,
 * driven only through @aws-sdk/client-sfn.
 */
const buildModel = (): LocalModel => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'EngineTest');
  const notify = new AppFunction(stack, 'Notify', { entry: 'test/fixtures/lambdas/record-token.ts' });
  const fail = new AppFunction(stack, 'Fail', { entry: 'test/fixtures/lambdas/fail.ts' });
  const awaitDecision = new tasks.LambdaInvoke(stack, 'AwaitDecision', {
    lambdaFunction: notify.fn,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      taskToken: sfn.JsonPath.taskToken,
      request: sfn.JsonPath.stringAt('$.request'),
    }),
    taskTimeout: sfn.Timeout.duration(Duration.seconds(2)),
    resultPath: '$.decision',
  });
  awaitDecision.addCatch(
    new sfn.Pass(stack, 'NoDecision', { result: sfn.Result.fromObject({ timedOut: true }), resultPath: '$.decision' }),
    {
      errors: ['States.Timeout'],
    },
  );
  new sfn.StateMachine(stack, 'Callback', {
    stateMachineName: 'Callback',
    definitionBody: sfn.DefinitionBody.fromChainable(awaitDecision),
  });
  new sfn.StateMachine(stack, 'Failing', {
    stateMachineName: 'Failing',
    definitionBody: sfn.DefinitionBody.fromChainable(
      new tasks.LambdaInvoke(stack, 'Refuse', {
        lambdaFunction: fail.fn,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(5)),
      }),
    ),
  });
  return readModel(app.synth().getStackByName('EngineTest').template as Template);
};

const requests = () =>
  ((globalThis as { __callbackRequests?: Array<{ taskToken: string; request: string }> }).__callbackRequests ??= []);
const tokenFor = async (request: string) => {
  await expect.poll(() => requests().some((r) => r.request === request), { timeout: 5000 }).toBe(true);
  return requests().find((r) => r.request === request)!.taskToken;
};

let model: LocalModel;
let engine: LocalStepFunctions;
let server: Awaited<ReturnType<typeof startSfnEndpoint>>;
let client: SFNClient;
let callbackArn: string;
let failingArn: string;
const dataDir = mkdtempSync(path.join(tmpdir(), 'sfn-'));

beforeAll(async () => {
  model = buildModel();
  const lambdas = new LocalLambdas(model.functions);
  engine = new LocalStepFunctions({ stateMachines: model.stateMachines, lambdas, dataDir });
  server = await startSfnEndpoint(engine, 0);
  client = new SFNClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  callbackArn = model.stateMachines.find((m) => m.name === 'Callback')!.arn;
  failingArn = model.stateMachines.find((m) => m.name === 'Failing')!.arn;
});
afterAll(async () => {
  engine?.close();
  await server?.close();
});

const start = (name: string, input: unknown, arn = callbackArn) =>
  client.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
const finished = async (executionArn: string) => {
  await engine.waitFor(executionArn, 10_000);
  return client.send(new DescribeExecutionCommand({ executionArn }));
};

describe('local Step Functions: callbacks (.waitForTaskToken)', () => {
  it('hands the Lambda a real token and resumes on SendTaskSuccess with its output', async () => {
    const { executionArn } = await start('approve-1', { request: 'approve-1' });
    const token = await tokenFor('approve-1');
    expect(token).not.toContain('__LOCAL_TASK_TOKEN__');
    await client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, by: 'organizer' }) }),
    );
    const d = await finished(executionArn!);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ request: 'approve-1', decision: { approved: true, by: 'organizer' } });
    // A token settles once.
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toThrow();
  });

  it('fails the execution with the error sent by SendTaskFailure', async () => {
    const { executionArn } = await start('reject-1', { request: 'reject-1' });
    const token = await tokenFor('reject-1');
    await client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: '不符合要求' }));
    const d = await finished(executionArn!);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Rejected');
    expect(d.cause).toBe('不符合要求');
  });

  it('times the task out after TimeoutSeconds (caught as States.Timeout) and refuses a late answer', async () => {
    const { executionArn } = await start('silent-1', { request: 'silent-1' });
    const token = await tokenFor('silent-1');
    const d = await finished(executionArn!);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!).decision).toEqual({ timedOut: true });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});

describe('local Step Functions: API semantics', () => {
  it('StartExecution is idempotent for the same name and input while running, ExecutionAlreadyExists otherwise', async () => {
    const a = await start('same-name', { request: 'same-name' });
    const b = await start('same-name', { request: 'same-name' });
    expect(b.executionArn).toBe(a.executionArn);
    await expect(start('same-name', { request: 'other' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await client.send(
      new StopExecutionCommand({ executionArn: a.executionArn, error: 'Test', cause: 'stopped by the test' }),
    );
    const d = await client.send(new DescribeExecutionCommand({ executionArn: a.executionArn }));
    expect(d.status).toBe('ABORTED');
    await expect(start('same-name', { request: 'same-name' })).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('reports a Lambda error by its errorType with Lambda’s error JSON as the cause', async () => {
    const { executionArn } = await start('fails-1', {}, failingArn);
    const d = await finished(executionArn!);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('DomainRuleViolated');
    expect(JSON.parse(d.cause!)).toMatchObject({ errorType: 'DomainRuleViolated', errorMessage: 'the rule says no' });
  });

  it('lists executions and returns their history', async () => {
    const list = await client.send(
      new ListExecutionsCommand({ stateMachineArn: callbackArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(list.executions!.map((x) => x.name).sort()).toEqual(['approve-1', 'silent-1']);
    const h = await client.send(
      new GetExecutionHistoryCommand({
        executionArn: list.executions!.find((x) => x.name === 'approve-1')!.executionArn,
      }),
    );
    expect(h.events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('reports executions a restart interrupted, and redrives them under the same ARN', async () => {
    const { executionArn } = await start('interrupted-1', { request: 'interrupted-1' });
    await tokenFor('interrupted-1');
    engine.close(); // as `npm start` does on Ctrl+C
    await server.close();
    engine = new LocalStepFunctions({
      stateMachines: model.stateMachines,
      lambdas: new LocalLambdas(model.functions),
      dataDir,
    });
    server = await startSfnEndpoint(engine, 0);
    client = new SFNClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });

    expect(engine.interrupted.map((x) => x.name)).toEqual(['interrupted-1']);
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Local.EngineRestarted' });
    // Finished executions survive the restart unchanged.
    const earlier = await client.send(
      new ListExecutionsCommand({ stateMachineArn: callbackArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(earlier.executions).toHaveLength(2);

    requests().length = 0;
    await client.send(new RedriveExecutionCommand({ executionArn }));
    const token = await tokenFor('interrupted-1');
    await client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":false}' }));
    const after = await finished(executionArn!);
    expect(after).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  });
});
