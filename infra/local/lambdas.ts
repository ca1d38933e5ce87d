import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { REPO_ROOT } from '../function.ts';
import { invokingFunction } from './dynamodb-gate.ts';
import type { LocalFunction } from './template.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Lambda's synchronous invocation limits: 6 MB for the request and for the response payload. */
export const LAMBDA_MAX_REQUEST_BYTES = 6 * 1024 * 1024;
export const LAMBDA_MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** What a failed invocation looks like to callers, as in Lambda's error payload. */
export class LambdaInvocationError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(errorMessage);
    this.name = errorType;
  }
}

/**
 * Runs the stack's functions in this process, from their source modules, with
 * the environment and timeout the template gives them. Functions share one
 * process, so their environments must not contradict each other.
 */
export class LocalLambdas {
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly handlers = new Map<string, Promise<Handler>>();

  constructor(functions: LocalFunction[]) {
    const env: Record<string, string> = {};
    for (const f of functions) {
      this.byArn.set(f.arn, f);
      this.byArn.set(f.logicalId, f);
      for (const [k, v] of Object.entries(f.environment)) {
        if (k in env && env[k] !== v)
          throw new Error(`functions disagree on ${k} (${env[k]} vs ${v}); the local stack runs them in one process`);
        env[k] = v;
      }
    }
    Object.assign(process.env, env);
  }

  has(nameOrArn: string): boolean {
    return this.byArn.has(this.key(nameOrArn));
  }

  /** Accepts a name, an ARN, or a qualified ARN (":$LATEST"), like Lambda's Invoke. */
  private key(nameOrArn: string): string {
    const m = /^(arn:aws:lambda:[^:]+:\d+:function:[^:]+)(:.+)?$/.exec(nameOrArn);
    return m ? m[1]! : nameOrArn;
  }

  private handler(f: LocalFunction): Promise<Handler> {
    let h = this.handlers.get(f.arn);
    if (!h) {
      h = import(pathToFileURL(path.join(REPO_ROOT, f.entry)).href).then((m: { handler?: Handler }) => {
        if (typeof m.handler !== 'function') throw new Error(`${f.entry} does not export a handler`);
        return m.handler;
      });
      this.handlers.set(f.arn, h);
    }
    return h;
  }

  /**
   * Invokes like Lambda (synchronously): the handler's result, or a LambdaInvocationError — a
   * timeout, or a request or response over Lambda's 6 MB payload limits, as Lambda refuses them.
   */
  async invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    const f = this.byArn.get(this.key(nameOrArn));
    if (!f) throw new LambdaInvocationError('ResourceNotFoundException', `Function not found: ${nameOrArn}`);
    // Events cross a JSON boundary in AWS; do the same so no object is shared by reference.
    const payload = JSON.stringify(event ?? null);
    if (Buffer.byteLength(payload) > LAMBDA_MAX_REQUEST_BYTES)
      throw new LambdaInvocationError(
        'RequestEntityTooLargeException',
        `${Buffer.byteLength(payload)} byte payload is too large for the RequestResponse invocation type (limit ${LAMBDA_MAX_REQUEST_BYTES} bytes)`,
      );
    const handler = await this.handler(f);
    const deadline = Date.now() + f.timeoutSeconds * 1000;
    const context = {
      functionName: f.logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: f.arn,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${f.logicalId}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } as Context;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new LambdaInvocationError('Sandbox.Timedout', `Task timed out after ${f.timeoutSeconds} seconds`)),
        f.timeoutSeconds * 1000,
      );
    });
    let out: string;
    try {
      const identity = { logicalId: f.logicalId, roleName: f.roleName ?? f.logicalId };
      const run = invokingFunction.run(identity, () => handler(JSON.parse(payload), context));
      const result = await Promise.race([run, timeout]);
      out = JSON.stringify(result ?? null);
    } catch (e) {
      if (e instanceof LambdaInvocationError) throw e;
      const err = e as Error;
      throw new LambdaInvocationError(err?.name || 'Error', err?.message ?? String(e));
    } finally {
      clearTimeout(timer);
    }
    if (Buffer.byteLength(out) > LAMBDA_MAX_RESPONSE_BYTES)
      throw new LambdaInvocationError(
        'Function.ResponseSizeTooLarge',
        `Response payload size exceeded maximum allowed payload size (${LAMBDA_MAX_RESPONSE_BYTES} bytes).`,
      );
    return JSON.parse(out);
  }
}
