import { buildApp } from '../app-factory.ts';
import { ENTRY_METADATA } from '../function.ts';
import { evaluate, type PolicyStatement } from './iam.ts';

/**
 * Reads what the local stack runs from the synthesized CloudFormation template
 * (never from a hand-kept copy): tables, functions with their environment, HTTP
 * routes and state machine definitions. CloudFormation intrinsics are resolved
 * against a fixed local account/region.
 */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = process.env.AWS_REGION ?? 'us-east-1';
/** The ARN the local stack gives a resource (a table, a queue…) that has no ARN format of its own here. */
export const localResourceArn = (logicalId: string) => `arn:aws:local:::${logicalId}`;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
}
export interface Template {
  Resources: Record<string, Resource>;
}

/** An HTTP API's integration timeout when the template sets none (also its maximum). */
export const HTTP_API_MAX_INTEGRATION_MS = 30_000;

export interface LocalFunction {
  logicalId: string;
  arn: string;
  entry: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  /** Its execution role's name (the role's logical id locally) and identity-based policy statements. */
  roleName?: string;
  policy?: PolicyStatement[];
}
export interface LocalRoute {
  method: string;
  path: string;
  iam: boolean;
  functionArn: string;
  /** The integration's timeout (HTTP APIs: at most and by default 30 s). */
  timeoutMs: number;
  /**
   * Whether API Gateway may invoke the function: through the integration's credentials role, or
   * (without one) through a Lambda permission for apigateway.amazonaws.com. AWS answers 500 when not.
   */
  invokeAllowed: boolean;
}
export interface LocalTable {
  logicalId: string;
  tableName: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: {
    IndexName: string;
    KeySchema: LocalTable['keySchema'];
    Projection: { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] };
  }[];
  ttlAttribute?: string;
  /** The table's stream (StreamSpecification.StreamViewType), when it has one. */
  streamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
}
/** A Lambda event source mapping on a table's stream. */
export interface LocalStreamMapping {
  logicalId: string;
  tableName: string;
  functionArn: string;
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** EventBridge-style patterns (FilterCriteria); a record passes if any matches. */
  filterPatterns: unknown[];
  reportBatchItemFailures: boolean;
  maximumRetryAttempts: number;
}
export interface LocalStateMachine {
  logicalId: string;
  arn: string;
  name: string;
  definition: Record<string, unknown>;
}
export interface LocalSecret {
  logicalId: string;
  arn: string;
  name: string;
  description?: string;
  secretString?: string;
  generate?: {
    secretStringTemplate?: string;
    generateStringKey?: string;
    passwordLength: number;
    excludePunctuation?: boolean;
  };
}
export interface LocalModel {
  functions: LocalFunction[];
  routes: LocalRoute[];
  tables: LocalTable[];
  stateMachines: LocalStateMachine[];
  secrets: LocalSecret[];
  streamMappings: LocalStreamMapping[];
  /**
   * The CloudFront distribution in front of the API, when the template has one: the headers it adds to
   * every request it forwards (values may be Secrets Manager dynamic references, resolved by the stack).
   */
  edge?: { originHeaders: Record<string, string> };
  /** Buckets, with the tag a read needs where the bucket policy denies reads without it. */
  buckets: Array<{ name: string; readRequiresTag?: { key: string; value: string; prefix: string } }>;
  /** EventBridge rules on the default bus: their pattern and the functions they invoke. */
  eventRules: Array<{ logicalId: string; pattern: Record<string, unknown>; functionArns: string[] }>;
  /** GuardDuty Malware Protection plans: the bucket and prefixes each scans. */
  malwarePlans: Array<{ bucket: string; prefixes: string[]; tagging: boolean }>;
}

/**
 * Functions CDK adds for deployment (AwsCustomResource's provider, the bucket notification handler),
 * by their fixed ids: they run at deploy time, never locally.
 */
export const DEPLOY_TIME_FUNCTION =
  /^(AWS679f53fac002430cb0da5b7982bd2287|BucketNotificationsHandler050a0587b7544547bf325f094a3db834)/;

/** Synthesizes the real stack in-process, without bundling (the local stack runs the sources). */
export const synthTemplate = (): Template => {
  const { app, stack } = buildApp({ bundle: false, outdir: `${process.cwd()}/.local/cdk.out` });
  return app.synth().getStackByName(stack.stackName).template as Template;
};

const physicalName = (logicalId: string, r: Resource): string => {
  switch (r.Type) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
    case 'AWS::S3::Bucket':
      return ((r.Properties?.BucketName as string | undefined) ?? logicalId).toLowerCase();
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${(r.Properties?.StateMachineName as string | undefined) ?? logicalId}`;
    default:
      return logicalId; // tables, log groups, integrations: the logical id names them locally
  }
};

const PSEUDO: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'InnovationChallenge',
};

export const resolve = (t: Template, v: Json): Json => {
  if (Array.isArray(v)) return v.map((x) => resolve(t, x));
  if (!v || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const arg = v[k] as Json;
    switch (k) {
      case 'Ref': {
        const name = arg as string;
        if (name in PSEUDO) return PSEUDO[name]!;
        const r = t.Resources[name];
        if (!r) throw new Error(`Ref to unknown resource ${name}`);
        return physicalName(name, r);
      }
      case 'Fn::GetAtt': {
        const [id, attr] = arg as [string, string];
        const r = t.Resources[id];
        if (!r) throw new Error(`GetAtt on unknown resource ${id}`);
        if (attr === 'Arn')
          return r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::StepFunctions::StateMachine'
            ? physicalName(id, r)
            : localResourceArn(id);
        if (attr === 'Name') return id;
        // The local stack points this at its own HTTP API (PUBLIC_BASE_URL) once the server listens.
        if (attr === 'ApiEndpoint') return `https://${id}.execute-api.local`;
        if (attr === 'StreamArn') return `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${id}/stream/local`;
        if (attr === 'QueueUrl') return `http://sqs.local/${LOCAL_ACCOUNT}/${id}`;
        // A CloudFront distribution: the local HTTP API plays its part (see `edge` below).
        if (attr === 'DomainName') return `${id}.cloudfront.local`;
        throw new Error(`GetAtt ${id}.${attr} is not supported locally`);
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, Json[]];
        return parts.map((p) => resolve(t, p)).join(sep);
      }
      case 'Fn::Select': {
        const [i, list] = arg as [number, Json];
        return (resolve(t, list) as Json[])[Number(i)]!;
      }
      case 'Fn::Split': {
        const [sep, s] = arg as [string, Json];
        return (resolve(t, s) as string).split(sep);
      }
      case 'Fn::Sub': {
        const [tpl, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, Json>];
        return tpl.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
          if (vars[name] !== undefined) return String(resolve(t, vars[name]!));
          if (name in PSEUDO) return PSEUDO[name]!;
          const [id, attr] = name.split('.');
          return String(resolve(t, attr ? { 'Fn::GetAtt': [id!, attr] } : { Ref: id! }));
        });
      }
    }
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(t, x)]));
};

const ofType = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);

/** A role's identity-based statements: its inline policies and the AWS::IAM::Policy resources attached to it. */
const rolePolicy = (t: Template, roleId: string): PolicyStatement[] => {
  type Document = { Statement?: Json[] };
  const inline = ((t.Resources[roleId]?.Properties?.Policies ?? []) as Array<{ PolicyDocument: Document }>).map(
    (p) => p.PolicyDocument,
  );
  const attached = [...ofType(t, 'AWS::IAM::Policy'), ...ofType(t, 'AWS::IAM::ManagedPolicy')]
    .filter(([, r]) => ((r.Properties?.Roles ?? []) as Array<{ Ref?: string }>).some((x) => x.Ref === roleId))
    .map(([, r]) => r.Properties!.PolicyDocument as Document);
  return [...inline, ...attached].flatMap(
    (d) => (d.Statement ?? []).map((st) => resolve(t, st)) as unknown as PolicyStatement[],
  );
};

export const readModel = (t: Template): LocalModel => {
  const functions = ofType(t, 'AWS::Lambda::Function')
    .filter(([id]) => !DEPLOY_TIME_FUNCTION.test(id))
    .map(([id, r]) => {
      const entry = r.Metadata?.[ENTRY_METADATA];
      if (typeof entry !== 'string')
        throw new Error(`function ${id} has no ${ENTRY_METADATA} metadata; define it with AppFunction`);
      const p = r.Properties ?? {};
      const env = resolve(t, ((p.Environment as Record<string, Json> | undefined)?.Variables ?? {}) as Json) as Record<
        string,
        string
      >;
      const roleName = ((p.Role as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'] ?? [])[0];
      return {
        logicalId: id,
        arn: physicalName(id, r),
        entry,
        environment: env,
        timeoutSeconds: Number(p.Timeout ?? 3),
        ...(roleName ? { roleName, policy: rolePolicy(t, roleName) } : {}),
      };
    });

  const integrations = new Map(
    ofType(t, 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [
      id,
      {
        functionArn: resolve(t, r.Properties!.IntegrationUri!) as string,
        timeoutMs: Number(r.Properties!.TimeoutInMillis ?? HTTP_API_MAX_INTEGRATION_MS),
        credentialsRole: ((r.Properties!.CredentialsArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
          'Fn::GetAtt'
        ] ?? [])[0],
      },
    ]),
  );
  const apiMayInvoke = (functionArn: string, credentialsRole: string | undefined): boolean => {
    if (credentialsRole)
      return (
        evaluate(rolePolicy(t, credentialsRole), {
          action: 'lambda:InvokeFunction',
          resource: functionArn,
          context: {},
        }) === 'ALLOW'
      );
    return ofType(t, 'AWS::Lambda::Permission').some(
      ([, r]) =>
        r.Properties?.Principal === 'apigateway.amazonaws.com' &&
        resolve(t, r.Properties.FunctionName as Json) === functionArn,
    );
  };
  const routes = ofType(t, 'AWS::ApiGatewayV2::Route').map(([id, r]) => {
    const p = r.Properties!;
    const [method, path] = (p.RouteKey as string).split(' ') as [string, string];
    const target = resolve(t, p.Target!) as string; // "integrations/<IntegrationId>"
    const integration = integrations.get(target.replace(/^integrations\//, ''));
    if (!integration) throw new Error(`route ${id} targets an unknown integration ${target}`);
    const { credentialsRole, ...rest } = integration;
    return {
      method,
      path,
      iam: p.AuthorizationType === 'AWS_IAM',
      ...rest,
      invokeAllowed: apiMayInvoke(integration.functionArn, credentialsRole),
    };
  });

  const tables = [...ofType(t, 'AWS::DynamoDB::GlobalTable'), ...ofType(t, 'AWS::DynamoDB::Table')].map(([id, r]) => {
    const p = r.Properties as Record<string, unknown>;
    return {
      logicalId: id,
      tableName: id,
      keySchema: p.KeySchema,
      attributeDefinitions: p.AttributeDefinitions,
      globalSecondaryIndexes: p.GlobalSecondaryIndexes ?? [],
      ttlAttribute: (p.TimeToLiveSpecification as { AttributeName?: string } | undefined)?.AttributeName,
      streamViewType: (p.StreamSpecification as { StreamViewType?: string } | undefined)?.StreamViewType,
    } as unknown as LocalTable;
  });

  const stateMachines = ofType(t, 'AWS::StepFunctions::StateMachine').map(([id, r]) => {
    const p = r.Properties!;
    const body =
      p.DefinitionString !== undefined
        ? (resolve(t, p.DefinitionString) as string)
        : JSON.stringify(resolve(t, p.Definition!));
    const arn = physicalName(id, r);
    return { logicalId: id, arn, name: arn.split(':').pop()!, definition: JSON.parse(body) as Record<string, unknown> };
  });

  const secrets = ofType(t, 'AWS::SecretsManager::Secret').map(([id, r]) => {
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    const g = p.GenerateSecretString as Record<string, unknown> | undefined;
    return {
      logicalId: id,
      arn: physicalName(id, r),
      name: (p.Name as string | undefined) ?? id,
      description: p.Description as string | undefined,
      secretString: p.SecretString as string | undefined,
      generate: g
        ? {
            secretStringTemplate: g.SecretStringTemplate as string | undefined,
            generateStringKey: g.GenerateStringKey as string | undefined,
            passwordLength: Number(g.PasswordLength ?? 32),
            excludePunctuation: g.ExcludePunctuation === true,
          }
        : undefined,
    };
  });

  const streamMappings = ofType(t, 'AWS::Lambda::EventSourceMapping').flatMap(([id, r]): LocalStreamMapping[] => {
    const p = r.Properties!;
    // Only stream sources are supported locally; the source is named by Fn::GetAtt [table, StreamArn].
    const source = p.EventSourceArn as { 'Fn::GetAtt'?: [string, string] };
    const [tableId, attr] = source['Fn::GetAtt'] ?? [];
    if (!tableId || attr !== 'StreamArn')
      throw new Error(`event source mapping ${id}: only DynamoDB stream sources run locally`);
    const filters = ((p.FilterCriteria as { Filters?: Array<{ Pattern: string }> } | undefined)?.Filters ?? []).map(
      (f) => JSON.parse(f.Pattern) as unknown,
    );
    return [
      {
        logicalId: id,
        tableName: tableId,
        functionArn: resolve(t, { 'Fn::GetAtt': [(p.FunctionName as { Ref: string }).Ref, 'Arn'] }) as string,
        batchSize: Number(p.BatchSize ?? 100),
        startingPosition: (p.StartingPosition as 'TRIM_HORIZON' | 'LATEST' | undefined) ?? 'TRIM_HORIZON',
        filterPatterns: filters,
        reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
          'ReportBatchItemFailures',
        ),
        maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? 10),
      },
    ];
  });

  const [distribution] = ofType(t, 'AWS::CloudFront::Distribution');
  type Origin = { OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: Json }> };
  const origins = ((distribution?.[1].Properties?.DistributionConfig ?? {}) as { Origins?: Origin[] }).Origins ?? [];
  const edge = distribution && {
    originHeaders: Object.fromEntries(
      origins.flatMap((o) =>
        (o.OriginCustomHeaders ?? []).map((h) => [h.HeaderName.toLowerCase(), String(resolve(t, h.HeaderValue))]),
      ),
    ),
  };

  type Statement = {
    Effect: string;
    Action: string | string[];
    Resource?: Json;
    Condition?: Record<string, Record<string, string>>;
  };
  const policies = ofType(t, 'AWS::S3::BucketPolicy').map(([, r]) => ({
    bucket: String(resolve(t, r.Properties!.Bucket!)),
    statements: ((r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement ?? []) as Statement[],
  }));
  const buckets = ofType(t, 'AWS::S3::Bucket').map(([id, r]) => {
    const name = physicalName(id, r);
    const deny = policies
      .filter((p) => p.bucket === name)
      .flatMap((p) => p.statements)
      .find(
        (st) => st.Effect === 'Deny' && [st.Action].flat().includes('s3:GetObject') && st.Condition?.StringNotEquals,
      );
    const [tagKey, tagValue] =
      Object.entries(deny?.Condition?.StringNotEquals ?? {}).find(([k]) => k.startsWith('s3:ExistingObjectTag/')) ?? [];
    // The statement's object resource, "<bucket ARN>/<prefix>*": the keys it covers.
    const resource = [deny?.Resource ?? []].flat().map((r) => String(resolve(t, r as Json)))[0] ?? '';
    const prefix = /^[^/]+\/(.*)\*$/.exec(resource)?.[1] ?? '';
    return {
      name,
      ...(tagKey
        ? { readRequiresTag: { key: tagKey.slice('s3:ExistingObjectTag/'.length), value: String(tagValue), prefix } }
        : {}),
    };
  });
  const eventRules = ofType(t, 'AWS::Events::Rule').map(([id, r]) => ({
    logicalId: id,
    pattern: resolve(t, r.Properties!.EventPattern!) as Record<string, unknown>,
    functionArns: ((r.Properties!.Targets as Array<{ Arn: Json }> | undefined) ?? []).map((x) =>
      String(resolve(t, x.Arn)),
    ),
  }));
  const malwarePlans = ofType(t, 'AWS::GuardDuty::MalwareProtectionPlan').map(([, r]) => {
    const p = resolve(t, r.Properties as Json) as {
      ProtectedResource: { S3Bucket: { BucketName: string; ObjectPrefixes?: string[] } };
      Actions?: { Tagging?: { Status?: string } };
    };
    return {
      bucket: p.ProtectedResource.S3Bucket.BucketName,
      prefixes: p.ProtectedResource.S3Bucket.ObjectPrefixes ?? [],
      tagging: p.Actions?.Tagging?.Status === 'ENABLED',
    };
  });

  return {
    functions,
    routes,
    tables,
    stateMachines,
    secrets,
    streamMappings,
    buckets,
    eventRules,
    malwarePlans,
    ...(edge ? { edge } : {}),
  };
};
