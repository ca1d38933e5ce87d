import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ApiInvokeRole } from '../../infra/api-integration.ts';
import { AppFunction } from '../../infra/function.ts';
import { startHttpApi } from '../../infra/local/http-api.ts';
import {
  LAMBDA_MAX_REQUEST_BYTES,
  LAMBDA_MAX_RESPONSE_BYTES,
  LambdaInvocationError,
  LocalLambdas,
} from '../../infra/local/lambdas.ts';
import { readModel, type Template } from '../../infra/local/template.ts';

/**
 * The local HTTP API and Lambda runner refuse what API Gateway (HTTP API) and Lambda refuse, with
 * their answers: a body over 10 MB → 413; a Lambda request or response over 6 MB → the invocation
 * fails (500 through the API); the integration timeout → 503; the function's own timeout → 500.
 * The test stack is CDK-defined and read from its synthesized template, like the real one.
 */
const MB = 1024 * 1024;
let api: Awaited<ReturnType<typeof startHttpApi>>;
let lambdas: LocalLambdas;
let model: ReturnType<typeof readModel>;
let sizedFn: string;

beforeAll(async () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'LimitsTest');
  const sized = new AppFunction(stack, 'Sized', { entry: 'test/fixtures/lambdas/sized.ts' });
  const short = new AppFunction(stack, 'Short', {
    entry: 'test/fixtures/lambdas/sized.ts',
    timeout: Duration.seconds(1),
  });
  const http = new HttpApi(stack, 'Api');
  http.addRoutes({ path: '/sized', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('S', sized.fn) });
  http.addRoutes({
    path: '/impatient',
    methods: [HttpMethod.GET],
    integration: new HttpLambdaIntegration('I', sized.fn, { timeout: Duration.seconds(1) }),
  });
  http.addRoutes({ path: '/short', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('T', short.fn) });
  // The app's way: the API invokes with a role (granted), and a role that was never granted.
  const invoker = new ApiInvokeRole(stack, 'Invoker');
  http.addRoutes({ path: '/granted', methods: [HttpMethod.GET], integration: invoker.integrationFor('G', short.fn) });
  invoker.attachPolicies();
  const ungranted = new ApiInvokeRole(stack, 'Ungranted');
  http.addRoutes({
    path: '/ungranted',
    methods: [HttpMethod.GET],
    integration: ungranted.integrationFor('U', short.fn),
  });
  model = readModel(app.synth().getStackByName('LimitsTest').template as Template);
  lambdas = new LocalLambdas(model.functions);
  sizedFn = model.functions.find((f) => f.logicalId.startsWith('Sized'))!.logicalId;
  api = await startHttpApi({ routes: model.routes, lambdas, port: 0, adminKey: 'k' });
});
afterAll(async () => api?.close());

const post = (path: string, bytes: number) =>
  fetch(`${api.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'y'.repeat(bytes) });

describe('local limits equal to AWS’s', () => {
  it('reads each integration’s timeout from the template (30 s unless set)', () => {
    const timeout = (path: string) => model.routes.find((r) => r.path === path)?.timeoutMs;
    expect([timeout('/sized'), timeout('/impatient'), timeout('/short')]).toEqual([30_000, 1000, 30_000]);
  });

  it('invokes a function only where the integration’s role (or a Lambda permission) allows it; else 500 like AWS', async () => {
    const allowed = Object.fromEntries(model.routes.map((r) => [r.path, r.invokeAllowed]));
    expect(allowed).toEqual({
      '/sized': true,
      '/impatient': true,
      '/short': true,
      '/granted': true,
      '/ungranted': false,
    });
    const granted = await fetch(`${api.url}/granted`);
    expect(granted.status).toBe(200);
    const refused = await fetch(`${api.url}/ungranted`);
    expect(refused.status).toBe(500);
    expect(await refused.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('API Gateway refuses a body over 10 MB with 413 before any function runs', async () => {
    const r = await post('/sized', 10 * MB + 1);
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ message: 'Request Entity Too Large' });
  });

  it('Lambda refuses a request payload over 6 MB (the API answers 500); under it the function runs', async () => {
    const refused = await post('/sized', 7 * MB);
    expect(refused.status).toBe(500);
    expect(await refused.json()).toEqual({ message: 'Internal Server Error' });
    const ok = await post('/sized', 5 * MB);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(`received ${5 * MB}`);
    await expect(lambdas.invoke(sizedFn, { body: 'z'.repeat(LAMBDA_MAX_REQUEST_BYTES) })).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
    });
  });

  it('Lambda refuses a response over 6 MB (the API answers 500); just under it passes', async () => {
    const r = await fetch(`${api.url}/sized?bytes=${7 * MB}`, { method: 'POST' });
    expect(r.status).toBe(500);
    const e = await lambdas
      .invoke(sizedFn, { queryStringParameters: { bytes: String(LAMBDA_MAX_RESPONSE_BYTES) } })
      .catch((x: LambdaInvocationError) => x);
    expect(e).toBeInstanceOf(LambdaInvocationError);
    expect((e as LambdaInvocationError).errorType).toBe('Function.ResponseSizeTooLarge');
    expect((await fetch(`${api.url}/sized?bytes=${6 * MB - 1024}`, { method: 'POST' })).status).toBe(200);
  });

  it('answers 503 when the integration times out (the function runs on), and 500 when the function does', async () => {
    const slow = await fetch(`${api.url}/impatient?sleepMs=1500`);
    expect(slow.status).toBe(503);
    expect(await slow.json()).toEqual({ message: 'Service Unavailable' });
    expect((await fetch(`${api.url}/impatient?sleepMs=10`)).status).toBe(200);
    const timedOut = await fetch(`${api.url}/short?sleepMs=1500`);
    expect(timedOut.status).toBe(500);
  });
});
