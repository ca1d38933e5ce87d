import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SfnError, type ExecutionRecord, type LocalStepFunctions } from './stepfunctions.ts';

/**
 * The Step Functions API (AWS JSON 1.0: POST / with X-Amz-Target) in front of the
 * local engine, so @aws-sdk/client-sfn (via AWS_ENDPOINT_URL_SFN) and
 * `aws stepfunctions --endpoint-url` work unchanged. Secrets Manager shares the port.
 */
const seconds = (ms?: number) => (ms === undefined ? undefined : ms / 1000);

const summary = (x: ExecutionRecord) => ({
  executionArn: x.executionArn,
  stateMachineArn: x.stateMachineArn,
  name: x.name,
  status: x.status,
  startDate: seconds(x.startDate),
  stopDate: seconds(x.stopDate),
});

export type Body = Record<string, unknown>;

const page = <T>(items: T[], body: Body, key: string) => {
  const max = Math.min(Number(body.maxResults) || 100, 1000);
  const start = Number(body.nextToken ?? 0) || 0;
  const slice = items.slice(start, start + max);
  return { [key]: slice, ...(start + max < items.length ? { nextToken: String(start + max) } : {}) };
};

export const sfnOperations = (sfn: LocalStepFunctions): Record<string, (b: Body) => unknown> => ({
  ListStateMachines: () => ({ stateMachines: sfn.listStateMachines() }),
  DescribeStateMachine: (b) => sfn.describeStateMachine(String(b.stateMachineArn)),
  StartExecution: (b) => {
    const x = sfn.startExecution(
      String(b.stateMachineArn),
      b.name as string | undefined,
      (b.input as string | undefined) ?? '{}',
    );
    return { executionArn: x.executionArn, startDate: seconds(x.startDate) };
  },
  DescribeExecution: (b) => {
    const x = sfn.describeExecution(String(b.executionArn));
    return {
      ...summary(x),
      input: x.input,
      output: x.output,
      error: x.error,
      cause: x.cause,
      redriveCount: x.redriveCount ?? 0,
    };
  },
  ListExecutions: (b) =>
    page(
      sfn.listExecutions(String(b.stateMachineArn), b.statusFilter as string | undefined).map(summary),
      b,
      'executions',
    ),
  GetExecutionHistory: (b) => {
    const events = sfn
      .describeExecution(String(b.executionArn))
      .events.map((e) => ({ ...e, timestamp: seconds(e.timestamp) }));
    return page(b.reverseOrder ? [...events].reverse() : events, b, 'events');
  },
  RedriveExecution: (b) => ({
    redriveDate: seconds(Date.now()),
    executionArn: sfn.redriveExecution(String(b.executionArn)).executionArn,
  }),
  StopExecution: (b) => ({
    stopDate: seconds(sfn.stopExecution(String(b.executionArn), b.error as string, b.cause as string).stopDate),
  }),
  SendTaskSuccess: (b) => {
    sfn.sendTaskSuccess(String(b.taskToken), String(b.output));
    return {};
  },
  SendTaskFailure: (b) => {
    sfn.sendTaskFailure(String(b.taskToken), b.error as string, b.cause as string);
    return {};
  },
  SendTaskHeartbeat: (b) => {
    sfn.sendTaskHeartbeat(String(b.taskToken));
    return {};
  },
});

/** Step Functions alone on its own port (the engine tests use it). */
export const startSfnEndpoint = (sfn: LocalStepFunctions, port: number) =>
  startAwsJsonEndpoint({ AWSStepFunctions: sfnOperations(sfn) }, port);

/**
 * AWS JSON-protocol services (POST / with X-Amz-Target "<Service>.<Operation>")
 * on one local port; errors as the SDKs expect them (__type + x-amzn-errortype).
 */
/** A REST-protocol operation ("POST /v2/email/outbound-emails") or a plain page ("GET /mail"). */
export type RestOperation = (body: Body, query: URLSearchParams) => { status?: number; json?: unknown; html?: string };

export const startAwsJsonEndpoint = async (
  services: Record<string, Record<string, (b: Body) => unknown>>,
  port: number,
  rest: Record<string, RestOperation> = {},
) => {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const restOp = rest[`${req.method} ${(req.url ?? '/').split('?')[0]}`];
      if (restOp) {
        try {
          const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body) : {};
          const out = restOp(body, new URL(req.url ?? '/', 'http://localhost').searchParams);
          res.writeHead(out.status ?? 200, {
            'content-type': out.html !== undefined ? 'text/html; charset=utf-8' : 'application/json',
          });
          res.end(out.html ?? JSON.stringify(out.json ?? {}));
        } catch (e) {
          const type =
            e instanceof SyntaxError
              ? 'BadRequestException'
              : (e as Error).name === 'MailRequestError'
                ? 'BadRequestException'
                : 'InternalFailure';
          res.writeHead(type === 'BadRequestException' ? 400 : 500, {
            'content-type': 'application/json',
            'x-amzn-errortype': type,
          });
          res.end(JSON.stringify({ message: (e as Error).message }));
        }
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      const dot = target.lastIndexOf('.');
      const service = services[target.slice(0, dot)];
      const op = service?.[target.slice(dot + 1)];
      const reply = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, {
          'content-type': String(req.headers['content-type'] ?? 'application/x-amz-json-1.0'),
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !op)
        return reply(
          400,
          { __type: 'UnknownOperationException', message: `Unsupported operation ${target}` },
          'UnknownOperationException',
        );
      try {
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body) : {};
        reply(200, op(body) ?? {});
      } catch (e) {
        if (e instanceof SfnError) return reply(400, { __type: e.type, message: e.message }, e.type);
        if (e instanceof SyntaxError)
          return reply(400, { __type: 'SerializationException', message: 'Malformed JSON' }, 'SerializationException');
        reply(500, { __type: 'InternalFailure', message: (e as Error).message }, 'InternalFailure');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
};
