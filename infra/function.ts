import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PARTITION, type Partition } from '../functions/function-spec.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Metadata key that tells the local stack which source module a function runs. */
export const ENTRY_METADATA = 'app:entry';

export interface AppFunctionProps {
  /** Handler module relative to the repository root; it exports `handler`. */
  entry: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  description?: string;
  /** A role another function with the very same needs already has (see CompetitionStack.roleFor); a new one when absent. */
  role?: iam.Role;
}

/**
 * A role whose every grant lands in its own inline policy rather than in a separate
 * AWS::IAM::Policy resource: the same permissions, one CloudFormation resource instead of two per
 * function (a stack holds at most 500 resources, and each route is a function). The document is
 * rendered at synthesis, so grants added after construction are included.
 */
export class InlinePolicyRole extends iam.Role {
  private readonly document: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    const document = new iam.PolicyDocument();
    super(scope, id, { ...props, inlinePolicies: { ...props.inlinePolicies, grants: document } });
    this.document = document;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.document.addStatements(statement);
    return { statementAdded: true, policyDependable: this };
  }
}

/**
 * The stack's one log group for its functions: Lambda names each function's log streams
 * `YYYY/MM/DD/<function name>[<version>]<environment id>` in a shared group, so nothing is mixed up,
 * and one group instead of one per function keeps the stack well under CloudFormation's 500 resources.
 */
const functionLogs = (scope: Construct): logs.LogGroup => {
  const stack = Stack.of(scope);
  return (
    (stack.node.tryFindChild('FunctionLogs') as logs.LogGroup | undefined) ??
    new logs.LogGroup(stack, 'FunctionLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    })
  );
};

/**
 * Every Lambda function of the app, with one set of defaults: Node 22 on arm64,
 * ESM bundle by esbuild (minified, source maps, AWS SDK left to the runtime),
 * the stack's function log group with retention, X-Ray tracing, and a role that
 * may write only to that log group until a grant adds more.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const logGroup = functionLogs(this);
    this.role =
      props.role ?? new InlinePolicyRole(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    if (!props.role) logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Fn', {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(15),
      description: props.description,
      role: this.role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'innovation-challenge',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        mainFields: ['module', 'main'],
        externalModules: ['@aws-sdk/*'],
        // Some CommonJS dependencies call require(); give the ESM bundle one.
        banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
        metafile: false,
        logLevel: LogLevel.WARNING,
      },
    });
    (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA, props.entry);

    if (!props.role)
      NagSuppressions.addResourceSuppressions(
        this.role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason:
              'X-Ray PutTraceSegments/PutTelemetryRecords support only Resource "*"; log-stream ARNs of the own log group end in ":*".',
            appliesTo: ['Resource::*', { regex: '/^Resource::<.*Logs[0-9A-F]{8}\\.Arn>:\\*$/g' }],
          },
        ],
        true,
      );
  }
}

/**
 * `dynamodb:LeadingKeys` holds the partition key of every item a request touches (each item of a
 * batch or a transaction): all of them must lie in these partitions. The Null test refuses a request
 * that names no partition at all, which ForAllValues alone would let through.
 */
export const inPartitions = (partitions: readonly Partition[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitions.map((p) => `${PARTITION[p]}*`) },
  Null: { 'dynamodb:LeadingKeys': 'false' },
});

export interface TableAccess {
  access: 'read' | 'readWrite';
  /** The partitions of the base table it reads and writes. */
  partitions: readonly Partition[];
  /** GSI1 and the like: Query only. */
  indexes?: readonly string[];
  /** DeleteItem, in these partitions only. */
  deletes?: readonly Partition[];
}

/**
 * Least-privilege table access, spelled out action by action (no grantReadWriteData: it adds Scan and
 * Delete) and narrowed to the partitions the function declares. Index queries are granted on the index
 * alone, without a LeadingKeys condition: the index's partitions are lists, not records.
 */
export const grantTable = (role: iam.IRole, tableArn: string, grant: TableAccess) => {
  const read = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
  const write = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];
  if (grant.partitions.length)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: grant.access === 'read' ? read : [...read, ...write],
        resources: [tableArn],
        conditions: inPartitions(grant.partitions),
      }),
    );
  if (grant.indexes?.length)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: grant.indexes.map((i) => `${tableArn}/index/${i}`),
      }),
    );
  if (grant.deletes?.length)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DeleteItem'],
        resources: [tableArn],
        conditions: inPartitions(grant.deletes),
      }),
    );
};
