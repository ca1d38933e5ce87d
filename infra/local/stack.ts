import './long-timers.ts';
import net from 'node:net';
import path from 'node:path';
import { documentClient } from '../../functions/runtime/aws.ts';
import { ensureTables, startDynamo } from './dynamodb.ts';
import { identifyInvoker, startDynamoGate } from './dynamodb-gate.ts';
import { startHttpApi } from './http-api.ts';
import { LocalLambdas } from './lambdas.ts';
import { LocalMetrics } from './metrics.ts';
import { LocalMail, type LocalMailMessage } from './mail.ts';
import { LocalStreams } from './streams.ts';
import { LocalEventBus, wireUploads } from './events.ts';
import { LocalS3 } from './s3.ts';
import { LocalSecrets } from './secrets.ts';
import { sfnOperations, startAwsJsonEndpoint } from './sfn-endpoint.ts';
import { LocalStepFunctions } from './stepfunctions.ts';
import { LOCAL_REGION, readModel, synthTemplate, type LocalModel } from './template.ts';

export interface LocalStackOptions {
  /** Keep DynamoDB data and executions here; omit for an in-memory stack (tests). */
  dataDir?: string;
  httpPort?: number;
  dynamoPort?: number;
  sfnPort?: number;
  s3Port?: number;
  adminKey: string;
  waitOverrides?: Record<string, number>;
  /** Called for every e-mail the delivery function sends through the local SES. */
  onMail?: (m: LocalMailMessage) => void;
  /** Stream runner problems (a failing function, a record set aside). */
  onStreamError?: (message: string, detail: unknown) => void;
}

export interface LocalStack {
  model: LocalModel;
  apiUrl: string;
  dynamoEndpoint: string;
  /** Step Functions and Secrets Manager endpoint. */
  sfnEndpoint: string;
  sfn: LocalStepFunctions;
  lambdas: LocalLambdas;
  /** What SES would have sent; also at `${sfnEndpoint}/mail`. */
  mail: LocalMail;
  /** The functions' EMF metrics as CloudWatch would extract them; also at `${sfnEndpoint}/metrics`. */
  metrics: LocalMetrics;
  streams: LocalStreams;
  /** S3 (an emulation: see infra/local/s3.ts), with GuardDuty's scan emulated on the protected bucket. */
  s3: LocalS3;
  s3Endpoint: string;
  events: LocalEventBus;
  documentsBucket?: string;
  tableName: string;
  intakeStateMachineArn: string;
  reviewStateMachineArn: string;
  awardStateMachineArn: string;
  handOffStateMachineArn: string;
  stop(): Promise<void>;
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * DynamoDB Local + the local Step Functions engine and endpoint + the local HTTP
 * API, all driven by the synthesized template. Handlers reach the local services
 * through the standard AWS_ENDPOINT_URL_* variables, as they would any endpoint.
 */
export const startLocalStack = async (opts: LocalStackOptions): Promise<LocalStack> => {
  const model = readModel(synthTemplate());
  const dynamo = await startDynamo({
    port: await freePort(),
    dataDir: opts.dataDir && path.join(opts.dataDir, 'dynamodb'),
  });
  const stops: Array<() => Promise<void> | void> = [() => dynamo.stop()];
  try {
    await ensureTables(dynamo.client, model.tables);
    // Functions reach DynamoDB through a gate that checks each request against the function's role.
    const gate = await startDynamoGate({
      upstream: dynamo.endpoint,
      tables: model.tables,
      policies: new Map(model.functions.map((f) => [f.logicalId, f.policy ?? []])),
      port: opts.dynamoPort ?? 0,
    });
    stops.unshift(() => gate.close());
    identifyInvoker(documentClient());
    // The AWS endpoint listens first (port 0 unless one is asked for), so no other process can take its port
    // between choosing it and binding it; its services are registered below, once they exist.
    const services: Parameters<typeof startAwsJsonEndpoint>[0] = {};
    const restOperations: NonNullable<Parameters<typeof startAwsJsonEndpoint>[2]> = {};
    const sfnServer = await startAwsJsonEndpoint(services, opts.sfnPort ?? 0, restOperations);
    stops.unshift(() => sfnServer.close());
    const sfnPort = sfnServer.port;
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
      AWS_ENDPOINT_URL_DYNAMODB: gate.endpoint,
      AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${sfnPort}`,
      // Secrets Manager is served on the same local port as Step Functions.
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${sfnPort}`,
      // … and SES v2 (its REST API), whose mail lands in the local outbox page.
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${sfnPort}`,
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_DEV: 'true',
      // Dev mode switches Powertools Metrics off; the local stack reads their EMF lines (see ./metrics.ts).
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    const metrics = new LocalMetrics();
    // EMF lines appear in the log only at debug level; /metrics always has their data points.
    stops.unshift(metrics.capture({ echo: process.env.POWERTOOLS_LOG_LEVEL === 'DEBUG' }));
    // NODE_OPTIONS is for the Lambda runtime; this process is already running.
    const lambdas = new LocalLambdas(
      model.functions.map((f) => ({
        ...f,
        environment: Object.fromEntries(Object.entries(f.environment).filter(([k]) => k !== 'NODE_OPTIONS')),
      })),
    );
    const sfn = new LocalStepFunctions({
      stateMachines: model.stateMachines,
      lambdas,
      dataDir: opts.dataDir && path.join(opts.dataDir, 'stepfunctions'),
      waitOverrides: opts.waitOverrides,
    });
    stops.unshift(() => sfn.close());
    const secrets = new LocalSecrets(model.secrets, opts.dataDir && path.join(opts.dataDir, 'secrets.json'));
    const events = new LocalEventBus(model.eventRules, lambdas, opts.onStreamError);
    const s3: LocalS3 = new LocalS3(
      model.buckets,
      { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! },
      wireUploads(model, () => s3, events),
      opts.dataDir && path.join(opts.dataDir, 's3'),
    );
    const s3Endpoint = await s3.start(opts.s3Port ?? 0);
    stops.unshift(() => s3.stop());
    // An IP address: the SDK then addresses buckets by path (http://127.0.0.1:<port>/<bucket>/<key>).
    process.env.AWS_ENDPOINT_URL_S3 = s3Endpoint;
    const mail = new LocalMail(opts.dataDir && path.join(opts.dataDir, 'mail.jsonl'), opts.onMail);
    Object.assign(services, { AWSStepFunctions: sfnOperations(sfn), secretsmanager: secrets.operations() });
    Object.assign(restOperations, {
      'POST /v2/email/outbound-emails': (body: Record<string, unknown>) => ({ json: mail.send(body) }),
      'GET /mail': (_body: unknown, query: URLSearchParams) => ({ html: mail.page(Number(query.get('page') ?? 1)) }),
      'GET /metrics': (_body: unknown, query: URLSearchParams) =>
        query.get('format') === 'json'
          ? { json: { metrics: metrics.list(), rejected: metrics.rejected } }
          : { html: metrics.page() },
    });
    const api = await startHttpApi({
      routes: model.routes,
      lambdas,
      port: opts.httpPort ?? 0,
      adminKey: opts.adminKey,
      // The template puts CloudFront in front of the API; the local server adds what it adds.
      originHeaders: Object.fromEntries(
        Object.entries(model.edge?.originHeaders ?? {}).map(([k, v]) => [k, secrets.resolveReferences(v)]),
      ),
    });
    stops.unshift(() => api.close());
    // Links in e-mails point at this local API rather than the API Gateway endpoint the template names.
    process.env.PUBLIC_BASE_URL = api.url;
    const streams = new LocalStreams({
      dynamo: dynamo.client,
      endpoint: dynamo.endpoint,
      mappings: model.streamMappings,
      lambdas,
      onError: opts.onStreamError,
    });
    streams.start();
    stops.unshift(() => streams.stop());

    const intake = model.stateMachines.find((s) => s.logicalId.startsWith('IntakeRound'));
    const review = model.stateMachines.find((s) => s.logicalId.startsWith('ReviewRound'));
    const award = model.stateMachines.find((s) => s.logicalId.startsWith('AwardRound'));
    const handOff = model.stateMachines.find((s) => s.logicalId.startsWith('ProjectHandOff'));
    if (!intake || !review || !award || !handOff)
      throw new Error('the template lacks one of the intake, review, award and hand-off state machines');
    return {
      model,
      apiUrl: api.url,
      dynamoEndpoint: gate.endpoint,
      sfnEndpoint: sfnServer.endpoint,
      sfn,
      lambdas,
      mail,
      metrics,
      streams,
      s3,
      s3Endpoint,
      events,
      documentsBucket: model.functions.find((f) => f.environment.DOCUMENTS_BUCKET)?.environment.DOCUMENTS_BUCKET,
      tableName: model.tables[0]!.tableName,
      intakeStateMachineArn: intake.arn,
      reviewStateMachineArn: review.arn,
      awardStateMachineArn: award.arn,
      handOffStateMachineArn: handOff.arn,
      stop: async () => {
        for (const s of stops) await s();
      },
    };
  } catch (e) {
    for (const s of stops) await s();
    throw e;
  }
};
