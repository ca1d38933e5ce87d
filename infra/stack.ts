import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { machineArnVariable, type FunctionNeeds, type MachineId } from '../functions/function-spec.ts';
import { ORIGIN_VERIFY_HEADER } from '../functions/routes/spec.ts';
import { routeList } from '../functions/routes.ts';
import { INDEX } from '../functions/function-spec.ts';
import { GSI1 } from '../functions/store/keys.ts';
import { CATALOGUE_PROJECTION } from '../functions/store/needs.ts';
import { taskList } from '../functions/tasks.ts';
import { AwardRoundWorkflow } from '../workflows/award-round.ts';
import { IntakeRoundWorkflow } from '../workflows/intake-round.ts';
import { ProjectHandOffWorkflow } from '../workflows/project-handoff.ts';
import { ReviewRoundWorkflow } from '../workflows/review-round.ts';
import { machineName, type TaskFunctions } from '../workflows/round-state-machine.ts';
import { ApiInvokeRole } from './api-integration.ts';
import { Monitoring } from './monitoring.ts';
import { AppFunction, grantTable } from './function.ts';
import { EDGE_REGION, WEB_ACL_PARAMETER } from './edge-stack.ts';
import { DOCUMENT_STATUS_TAG, REFUSED_DOCUMENT_STATUSES, SCAN_STATUS_TAG } from '../shared/documents.ts';

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

const MACHINE_LABELS: Record<MachineId, string> = {
  intake: 'Intake round',
  review: 'Review round',
  awards: 'Award',
  handoff: 'Hand-off',
};

const EXECUTIONS_OF_MACHINE =
  '/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):execution:.*:\\*$/g';

/** The needs that grant something (the others size the function). */
const GRANTING_NEEDS = [
  'table',
  'partitions',
  'deletes',
  'indexes',
  'documents',
  'imports',
  'exports',
  'signsLinks',
  'derivesEntryTokens',
  'starts',
  'redrives',
  'describes',
  'resumes',
  'idempotent',
] as const satisfies ReadonlyArray<keyof FunctionNeeds | 'idempotent'>;

/**
 * Functions whose declared grants are the same share one role: their policies would be identical, and a
 * role less is a resource less (a stack holds at most 500, and each route is a function). `kind` keeps
 * tasks, admin routes and the other routes apart (the latter also read the origin-verify key).
 */
const roleKey = (kind: 'task' | 'admin' | 'route', needs: FunctionNeeds & { idempotent?: boolean }) => {
  const granted = GRANTING_NEEDS.map((name) => [name, needs[name]] as const)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([name, value]) => [name, Array.isArray(value) ? [...value].sort() : value]);
  return JSON.stringify([kind, ...granted.sort(([a], [b]) => String(a).localeCompare(String(b)))]);
};

const sizing = (needs: FunctionNeeds) => ({
  ...(needs.timeoutSeconds ? { timeout: Duration.seconds(needs.timeoutSeconds) } : {}),
  ...(needs.memoryMb ? { memorySize: needs.memoryMb } : {}),
});

/**
 * Everything the competition system runs on: one DynamoDB table, the HTTP API
 * built from the route table, and the round state machines.
 */
export class CompetitionStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly api: apigw.HttpApi;
  readonly intake: IntakeRoundWorkflow;
  readonly review: ReviewRoundWorkflow;
  readonly awards: AwardRoundWorkflow;
  readonly handOff: ProjectHandOffWorkflow;
  readonly machines: Record<MachineId, sfn.StateMachine>;
  /** HMAC key of signed links (review, appointment, sponsor confirmation): {"current": "...", "previous"?: "..."}. */
  readonly linkSigningKey: secretsmanager.Secret;
  /** HMAC key applicant access tokens are derived with: {"current": "..."}. */
  readonly entryTokenKey: secretsmanager.Secret;
  /** The value CloudFront adds to the requests it forwards; public routes refuse any request without it. */
  readonly originVerifyKey?: secretsmanager.Secret;
  /** The distribution in front of the API (per-client WAF rate limit); absent with `-c edge=false`. */
  readonly distribution?: cloudfront.Distribution;
  /** Where people reach the API: the distribution, or the API's own endpoint without one. */
  readonly publicUrl: string;
  /** Applicants' documents: versioned, scanned by GuardDuty, readable only once tagged clean. */
  readonly documents: s3.Bucket;
  /** The console dashboard, the alarms and their topic. */
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.table = new dynamodb.TableV2(this, 'Records', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      timeToLiveAttribute: 'ttl',
      // Outbox messages reach the mail delivery function through the stream.
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
      globalSecondaryIndexes: [
        {
          indexName: GSI1,
          partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
        },
        {
          // The needs catalogue: only what a catalogue line shows and filters on, so a filtered page reads little.
          indexName: INDEX.catalogue,
          partitionKey: { name: 'catpk', type: dynamodb.AttributeType.STRING },
          sortKey: { name: 'catsk', type: dynamodb.AttributeType.STRING },
          projectionType: dynamodb.ProjectionType.INCLUDE,
          nonKeyAttributes: CATALOGUE_PROJECTION,
        },
      ],
    });
    const tableEnv = { TABLE_NAME: this.table.tableName };
    this.documents = this.documentsBucket();

    this.linkSigningKey = this.hmacKey(
      'LinkSigningKey',
      'HMAC-SHA-256 key for signed links; rotate by moving "current" to "previous" and setting a new "current"',
      'Rotation is a planned step, not a schedule: links stay valid until their round closes, so the old key moves to "previous" and both verify until then.',
    );
    this.entryTokenKey = this.hmacKey(
      'EntryTokenKey',
      'HMAC-SHA-256 key that derives applicant access tokens from entry ids (only their hashes are stored)',
      'Not rotated on a schedule: entries keep only token hashes, and a replayed creation (within 24 h) re-derives ' +
        'its token with this key; rotate by hand when no entry was created in the last day.',
    );

    const edge = String(this.node.tryGetContext('edge') ?? 'true') !== 'false';
    if (edge) {
      this.originVerifyKey = this.hmacKey(
        'OriginVerifyKey',
        'Value CloudFront adds to every request it forwards (x-origin-verify); public routes refuse requests without it',
        'Rotated by hand: move "current" to "previous", set a new "current", redeploy (the distribution picks it up); both are accepted meanwhile.',
      );
    }

    // Step Functions tasks, from the task table; each workflow takes its own.
    type Declared = { fn: AppFunction; needs: FunctionNeeds & { idempotent?: boolean }; ownsRole: boolean };
    const declared: Declared[] = [];
    const rolesByGrants = new Map<string, iam.Role>();
    const declare = (
      fn: (role?: iam.Role) => AppFunction,
      kind: 'task' | 'admin' | 'route',
      needs: Declared['needs'],
    ) => {
      const key = roleKey(kind, needs);
      const shared = rolesByGrants.get(key);
      const made = fn(shared);
      if (!shared) rolesByGrants.set(key, made.role);
      declared.push({ fn: made, needs, ownsRole: !shared });
      return { made, ownsRole: !shared };
    };
    const taskFunctions = {} as TaskFunctions;
    for (const t of taskList()) {
      const { made } = declare(
        (role) =>
          new AppFunction(this, t.id, {
            entry: t.entry,
            environment: tableEnv,
            description: `${MACHINE_LABELS[t.machine]} task: ${t.id}`,
            role,
            ...sizing(t),
          }),
        'task',
        t,
      );
      taskFunctions[t.id] = made.fn;
    }
    this.intake = new IntakeRoundWorkflow(this, 'IntakeRound', taskFunctions);
    this.review = new ReviewRoundWorkflow(this, 'ReviewRound', taskFunctions);
    this.handOff = new ProjectHandOffWorkflow(this, 'ProjectHandOff', taskFunctions);
    this.awards = new AwardRoundWorkflow(this, 'AwardRound', taskFunctions);
    this.machines = {
      intake: this.intake.stateMachine,
      review: this.review.stateMachine,
      awards: this.awards.stateMachine,
      handoff: this.handOff.stateMachine,
    };

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Innovation challenge API: competitions, entries, rounds',
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const iamAuth = new HttpIamAuthorizer();
    const invoker = new ApiInvokeRole(this, 'ApiInvoke');

    for (const route of routeList()) {
      const { made: fn, ownsRole } = declare(
        (role) =>
          new AppFunction(this, `${pascal(route.id)}Function`, {
            entry: route.entry,
            environment: tableEnv,
            description: `${route.method} ${route.path}`,
            role,
            ...sizing(route),
          }),
        route.auth === 'admin' ? 'admin' : 'route',
        route,
      );
      if (this.originVerifyKey && route.auth !== 'admin') {
        fn.fn.addEnvironment('ORIGIN_VERIFY_SECRET_ARN', this.originVerifyKey.secretArn);
        if (ownsRole) this.originVerifyKey.grantRead(fn.role);
      }
      this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: invoker.integrationFor(`${pascal(route.id)}Integration`, fn.fn),
        authorizer: route.auth === 'admin' ? iamAuth : undefined,
      });
    }
    invoker.attachPolicies();
    for (const { fn, needs, ownsRole } of declared) {
      this.environmentFor(fn, needs);
      if (ownsRole) this.grantNeeds(fn.role, needs);
    }

    if (this.originVerifyKey) this.distribution = this.addEdge(this.originVerifyKey);
    this.publicUrl = this.distribution ? `https://${this.distribution.distributionDomainName}` : this.api.apiEndpoint;
    const mailDeadLetters = this.addMailDelivery(tableEnv);
    const documentDeadLetters = this.addDocumentScanning(tableEnv);

    const alarmEmail = this.node.tryGetContext('alarmEmail') as string | undefined;
    if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
      throw new Error(`context alarmEmail must be an e-mail address, not "${alarmEmail}"`);
    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api,
      table: this.table,
      machines: this.machines,
      mailDeadLetters,
      documentDeadLetters,
      alarmEmail,
      defaultCompetitionId: String(this.node.tryGetContext('dashboardCompetition') ?? 'yrd-challenge-2026'),
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint, description: 'Admin routes (SigV4) go here' });
    new CfnOutput(this, 'PublicUrl', { value: this.publicUrl, description: 'Applicants, experts and sponsors' });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'IntakeStateMachineArn', { value: this.intake.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ReviewStateMachineArn', { value: this.review.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AwardStateMachineArn', { value: this.awards.stateMachine.stateMachineArn });
    new CfnOutput(this, 'HandOffStateMachineArn', { value: this.handOff.stateMachine.stateMachineArn });

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Public routes (competition list, entry creation) are open by design; applicant routes check a bearer entry token in the handler; every /admin route uses IAM authorization.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The platform targets Node.js 22 (nodejs22.x), the runtime this project is tested on.',
      },
    ]);
  }

  /** A generated HMAC key in Secrets Manager, {"current": "..."}, retained with the data it protects. */
  private hmacKey(id: string, description: string, rotationReason: string) {
    const secret = new secretsmanager.Secret(this, id, {
      description,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(secret, [{ id: 'AwsSolutions-SMG4', reason: rotationReason }]);
    return secret;
  }

  /**
   * CloudFront in front of the HTTP API, with the per-client WAF web ACL of the edge stack (us-east-1;
   * its ARN is read from SSM there at deploy time, so this stack synthesizes without an account). The
   * distribution caches nothing, forwards every viewer header but Host, and adds the origin verify
   * header, without which public routes answer 403: the limit cannot be bypassed on the API's endpoint.
   */
  private addEdge(originVerifyKey: secretsmanager.Secret) {
    const webAclArn = new cr.AwsCustomResource(this, 'EdgeWebAclArn', {
      onUpdate: {
        service: 'SSM',
        action: 'getParameter',
        parameters: { Name: WEB_ACL_PARAMETER },
        region: EDGE_REGION,
        physicalResourceId: cr.PhysicalResourceId.of(WEB_ACL_PARAMETER),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: [
          this.formatArn({
            service: 'ssm',
            region: EDGE_REGION,
            resource: 'parameter',
            resourceName: WEB_ACL_PARAMETER.slice(1),
          }),
        ],
      }),
      installLatestAwsSdk: false,
    }).getResponseField('Parameter.Value');
    const logBucket = new s3.Bucket(this, 'EdgeLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL grant to its log delivery account.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(logBucket, [
      { id: 'AwsSolutions-S1', reason: 'This bucket holds the distribution access logs; logging it again would loop.' },
    ]);
    const apiDomain = `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    const distribution = new cloudfront.Distribution(this, 'Edge', {
      comment: 'Innovation challenge API (per-client rate limit)',
      defaultBehavior: {
        origin: new origins.HttpOrigin(apiDomain, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          customHeaders: { [ORIGIN_VERIFY_HEADER]: originVerifyKey.secretValueFromJson('current').unsafeUnwrap() },
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: webAclArn,
      enableLogging: true,
      logBucket,
    });
    NagSuppressions.addResourceSuppressions(distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Applicants and experts take part from anywhere (全球揭榜); no geo restriction.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate has a fixed viewer TLS policy; a custom domain with its own certificate can set TLS_V1_2_2021.',
      },
    ]);
    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'The CDK custom resource that reads the web ACL ARN uses AWSLambdaBasicExecutionRole for its logs only.',
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
      { id: 'AwsSolutions-L1', reason: 'The CDK-provided custom resource function pins its own runtime.' },
    ]);
    return distribution;
  }

  /**
   * The documents bucket. Uploads arrive by presigned POST (the CORS rule lets a browser form post);
   * every version is kept (a replaced or deleted document stays on the record); objects the system
   * refused (a wrong type, malware, no document awaiting them) are tagged and expire after a day.
   */
  private documentsBucket() {
    const accessLogs = new s3.Bucket(this, 'DocumentAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // S3 server access logging delivers with the log delivery group's ACL grant.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket receives the documents bucket server access logs; logging it again would loop.',
      },
    ]);
    const origins = String(this.node.tryGetContext('uploadOrigins') ?? '*').split(',');
    return new s3.Bucket(this, 'Documents', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      eventBridgeEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST],
          allowedOrigins: origins,
          allowedHeaders: ['*'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...REFUSED_DOCUMENT_STATUSES.map((status) => ({
          id: `Expire${status}`,
          tagFilters: { [DOCUMENT_STATUS_TAG]: status },
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        })),
        // Exports are copies produced on request; import files are kept for a month, for the record.
        {
          id: 'ExpireExports',
          prefix: 'exports/',
          expiration: Duration.days(7),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'ExpireImports',
          prefix: 'imports/',
          expiration: Duration.days(30),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private suppressDocumentObjects(role: iam.IRole) {
    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Object keys are created at run time (entries/<entryId>/<documentId>, imports/<importId>, exports/<exportId>); each grant is limited to its prefix.',
          appliesTo: [{ regex: '/^Resource::<Documents[0-9A-F]+\\.Arn>\\/(entries|imports|exports)\\/\\*$/g' }],
        },
      ],
      true,
    );
  }

  /**
   * GuardDuty Malware Protection for S3 on the documents bucket (tagging on), the two EventBridge rules
   * that follow an upload — S3's Object Created to the upload check, GuardDuty's scan result to the
   * verdict — and the bucket policy that lets nobody but the scanner and the upload check read an object
   * GuardDuty has not tagged NO_THREATS_FOUND, so an unscanned or infected file can never be downloaded,
   * even with a valid presigned URL.
   */
  private addDocumentScanning(tableEnv: Record<string, string>) {
    const bucket = this.documents;
    const env = { ...tableEnv, DOCUMENTS_BUCKET: bucket.bucketName };
    const uploaded = new AppFunction(this, 'DocumentUploaded', {
      entry: 'functions/events/document-uploaded.ts',
      environment: env,
      timeout: Duration.seconds(300),
      memorySize: 1024,
      description: 'Checks an uploaded document (size, type from its bytes, SHA-256) before the malware scan',
    });
    const scanned = new AppFunction(this, 'DocumentScanned', {
      entry: 'functions/events/document-scanned.ts',
      environment: env,
      // A clean PDF is read once more to count its pages (up to 64 MB).
      timeout: Duration.seconds(60),
      memorySize: 1024,
      description: 'Records the GuardDuty malware scan result on a document and a clean PDF’s page count',
    });
    // A verdict parked before the byte check is applied by it, with its audit record.
    grantTable(uploaded.role, this.table.tableArn, {
      access: 'readWrite',
      partitions: ['competition', 'entry', 'audit'],
    });
    grantTable(scanned.role, this.table.tableArn, { access: 'readWrite', partitions: ['entry', 'audit'] });
    uploaded.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        resources: [bucket.arnForObjects('entries/*')],
      }),
    );
    scanned.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:PutObjectTagging',
          's3:PutObjectVersionTagging',
          's3:GetObjectTagging',
          's3:GetObjectVersionTagging',
          // Reading is still gated by the bucket policy: only objects tagged NO_THREATS_FOUND.
          's3:GetObject',
          's3:GetObjectVersion',
        ],
        resources: [bucket.arnForObjects('entries/*')],
      }),
    );
    for (const f of [uploaded, scanned]) this.suppressDocumentObjects(f.role);

    const scanner = new iam.Role(this, 'MalwareScanRole', {
      assumedBy: new iam.ServicePrincipal('malware-protection-plan.guardduty.amazonaws.com'),
      description: 'GuardDuty Malware Protection for S3 on the documents bucket',
    });
    const managedRule = this.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: 'DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
    });
    scanner.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutRule', 'events:DeleteRule', 'events:PutTargets', 'events:RemoveTargets'],
        resources: [managedRule],
        conditions: { StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' } },
      }),
    );
    scanner.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
        resources: [managedRule],
      }),
    );
    scanner.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          's3:GetObject',
          's3:GetObjectVersion',
          's3:PutObjectTagging',
          's3:GetObjectTagging',
          's3:PutObjectVersionTagging',
          's3:GetObjectVersionTagging',
        ],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    scanner.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutBucketNotification', 's3:GetBucketNotification', 's3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
    scanner.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects('malware-protection-resource-validation-object')],
      }),
    );
    NagSuppressions.addResourceSuppressions(
      scanner,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'The permissions GuardDuty documents for a malware protection plan: every object of the protected bucket, and its own managed EventBridge rule (name prefix).',
        },
      ],
      true,
    );
    const plan = new guardduty.CfnMalwareProtectionPlan(this, 'MalwareProtectionPlan', {
      role: scanner.roleArn,
      protectedResource: { s3Bucket: { bucketName: bucket.bucketName, objectPrefixes: ['entries/'] } },
      actions: { tagging: { status: 'ENABLED' } },
    });
    plan.node.addDependency(scanner);

    // Nobody reads an object GuardDuty has not found clean — except the scanner and the upload check.
    const exempt = [scanner.roleArn, uploaded.role.roleArn];
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoReadExceptForClean',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        // Documents (entries/) are scanned; import files are parsed as text and never served.
        resources: [bucket.arnForObjects('entries/*')],
        conditions: {
          StringNotEquals: { [`s3:ExistingObjectTag/${SCAN_STATUS_TAG}`]: 'NO_THREATS_FOUND' },
          ArnNotEquals: { 'aws:PrincipalArn': exempt },
        },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyGuardDutyTagsScanResults',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'],
        resources: [bucket.arnForObjects('*')],
        conditions: {
          'ForAnyValue:StringEquals': { 's3:RequestObjectTagKeys': SCAN_STATUS_TAG },
          ArnNotEquals: { 'aws:PrincipalArn': scanner.roleArn },
        },
      }),
    );

    const failed = new sqs.Queue(this, 'DocumentEventDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(failed, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the document events; it has none of its own.',
      },
    ]);
    const target = (f: AppFunction) =>
      new targets.LambdaFunction(f.fn, { retryAttempts: 8, maxEventAge: Duration.hours(2), deadLetterQueue: failed });
    for (const f of [uploaded, scanned])
      f.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
    new events.Rule(this, 'DocumentUploadedRule', {
      description: 'A document upload arrived in the documents bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ prefix: 'entries/' }] } },
      },
      targets: [target(uploaded)],
    });
    new events.Rule(this, 'DocumentScannedRule', {
      description: 'GuardDuty finished scanning a document',
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Malware Protection Object Scan Result'],
        detail: { s3ObjectDetails: { bucketName: [bucket.bucketName] } },
      },
      targets: [target(scanned)],
    });
    this.addBulkImports(tableEnv, target);
    new CfnOutput(this, 'DocumentsBucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'DocumentEventDeadLetterQueueUrl', { value: failed.queueUrl });
    return failed;
  }

  /**
   * Bulk imports: a file uploaded under imports/ (presigned POST minted by `POST /admin/imports`)
   * reaches `ImportUploaded` through S3's Object Created event; it validates the whole file and
   * applies it in chunks (up to 15 minutes; a retry continues from the job's progress).
   */
  private addBulkImports(tableEnv: Record<string, string>, target: (f: AppFunction) => targets.LambdaFunction) {
    const bucket = this.documents;
    const imported = new AppFunction(this, 'ImportUploaded', {
      entry: 'functions/events/import-uploaded.ts',
      environment: { ...tableEnv, DOCUMENTS_BUCKET: bucket.bucketName },
      timeout: Duration.minutes(15),
      memorySize: 1024,
      description: 'Validates an uploaded bulk-import file all-or-nothing and applies it in chunks',
    });
    // Experts go to the pool; needs to their competition, with an audit record per chunk, each
    // sponsor's token hash (derived from the need id under the entry token key) and its link message.
    grantTable(imported.role, this.table.tableArn, {
      access: 'readWrite',
      partitions: ['expert', 'importJob', 'need', 'competition', 'audit', 'outbox'],
    });
    imported.fn.addEnvironment('ENTRY_TOKEN_SECRET_ARN', this.entryTokenKey.secretArn);
    this.entryTokenKey.grantRead(imported.role);
    imported.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects('imports/*')],
      }),
    );
    this.suppressDocumentObjects(imported.role);
    imported.fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
    new events.Rule(this, 'ImportUploadedRule', {
      description: 'A bulk-import file arrived in the documents bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucket.bucketName] }, object: { key: [{ prefix: 'imports/' }] } },
      },
      targets: [target(imported)],
    });
  }

  /** A function's environment for its declared needs (route or task table): the names and ARNs it reaches. */
  private environmentFor(f: AppFunction, needs: FunctionNeeds) {
    if (needs.documents || needs.exports || needs.imports)
      f.fn.addEnvironment('DOCUMENTS_BUCKET', this.documents.bucketName);
    if (needs.derivesEntryTokens) f.fn.addEnvironment('ENTRY_TOKEN_SECRET_ARN', this.entryTokenKey.secretArn);
    if (needs.signsLinks) f.fn.addEnvironment('LINK_KEY_SECRET_ARN', this.linkSigningKey.secretArn);
    for (const m of [...(needs.starts ?? []), ...(needs.describes ?? [])])
      f.fn.addEnvironment(machineArnVariable[m], this.machines[m].stateMachineArn);
  }

  /** Turns declared needs (route or task table) into a role's grants, once per role. */
  private grantNeeds(role: iam.Role, needs: FunctionNeeds & { idempotent?: boolean }) {
    grantTable(role, this.table.tableArn, {
      access: needs.table,
      partitions: needs.partitions,
      indexes: (needs.indexes ?? []).map((i) => INDEX[i]),
      deletes: needs.deletes,
    });
    // Idempotency-Key: the route claims, completes or releases its record, even when it otherwise only reads.
    if (needs.idempotent) grantTable(role, this.table.tableArn, { access: 'readWrite', partitions: ['idempotency'] });
    if (needs.documents) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          // Signing a presigned POST or GET needs the permission the signed request will use.
          actions: needs.documents === 'upload' ? ['s3:PutObject'] : ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [this.documents.arnForObjects('entries/*')],
        }),
      );
      this.suppressDocumentObjects(role);
    }
    if (needs.exports) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.documents.arnForObjects('exports/*')] }),
      );
      this.suppressDocumentObjects(role);
    }
    if (needs.imports) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.documents.arnForObjects('imports/*')] }),
      );
      this.suppressDocumentObjects(role);
    }
    if (needs.derivesEntryTokens) this.entryTokenKey.grantRead(role);
    if (needs.signsLinks) this.linkSigningKey.grantRead(role);
    if (needs.resumes?.length) {
      // Granted on the ARNs built from the machines' fixed names: referencing a machine whose
      // task this function is would make a dependency cycle.
      const resources = needs.resumes.map((m) =>
        this.formatArn({
          service: 'states',
          resource: 'stateMachine',
          resourceName: machineName(this, m),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      );
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources }));
    }
    for (const m of needs.starts ?? []) {
      const machine = this.machines[m];
      machine.grantStartExecution(role);
      if (needs.redrives) machine.grantExecution(role, 'states:DescribeExecution', 'states:RedriveExecution');
    }
    for (const m of needs.describes ?? []) {
      const machine = this.machines[m];
      machine.grantExecution(role, 'states:DescribeExecution');
    }
    if (needs.describes?.length) {
      const names = needs.describes.map((m) => machineName(this, m)).join(', ');
      NagSuppressions.addResourceSuppressions(
        role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason: `DescribeExecution on executions of ${names} only; execution names are known at run time.`,
            appliesTo: [{ regex: EXECUTIONS_OF_MACHINE }],
          },
        ],
        true,
      );
    }
    if (needs.redrives && needs.starts?.length) {
      const names = needs.starts.map((m) => machineName(this, m)).join(', ');
      NagSuppressions.addResourceSuppressions(
        role,
        [
          {
            id: 'AwsSolutions-IAM5',
            reason: `DescribeExecution/RedriveExecution on executions of ${names} only; execution names are known at run time.`,
            // The partition/region/account appear as tokens or as literals, depending on whether the stack has an env.
            appliesTo: [{ regex: EXECUTIONS_OF_MACHINE }],
          },
        ],
        true,
      );
    }
  }

  /**
   * Outbox → e-mail: newly inserted outbox items on the table's stream invoke the
   * delivery function, which sends them with SES from `mailFrom` (context; an
   * SES-verified address or domain). Failed records are retried, then parked in
   * a dead-letter queue.
   */
  private addMailDelivery(tableEnv: Record<string, string>) {
    const mailFrom = String(this.node.tryGetContext('mailFrom') ?? 'no-reply@example.com');
    const publicBaseUrl = this.node.tryGetContext('publicBaseUrl') as string | undefined;
    const delivery = new AppFunction(this, 'DeliverOutbox', {
      entry: 'functions/stream/deliver-outbox.ts',
      environment: { ...tableEnv, MAIL_FROM: mailFrom, PUBLIC_BASE_URL: publicBaseUrl ?? this.publicUrl },
      timeout: Duration.seconds(60),
      description: 'Sends outbox messages (review links, reminders) by e-mail through SES',
    });
    grantTable(delivery.role, this.table.tableArn, { access: 'readWrite', partitions: ['competition', 'outbox'] });
    // The outbox stores what a link is for; the link itself is signed here, at send time.
    delivery.fn.addEnvironment('LINK_KEY_SECRET_ARN', this.linkSigningKey.secretArn);
    this.linkSigningKey.grantRead(delivery.role);
    const domain = mailFrom.split('@')[1]!;
    delivery.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        // SES authorizes against the address identity or its domain identity, whichever is verified.
        resources: [`identity/${mailFrom}`, `identity/${domain}`].map((resourceName) =>
          this.formatArn({
            service: 'ses',
            resource: resourceName.split('/')[0]!,
            resourceName: resourceName.split('/')[1]!,
          }),
        ),
      }),
    );
    const failed = new sqs.Queue(this, 'OutboxDeliveryDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(failed, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the table stream consumers (outbox delivery, CSV exports).',
      },
    ]);
    delivery.fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        retryAttempts: 5,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failed),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('OUTBOX#') } } },
          }),
        ],
      }),
    );
    new CfnOutput(this, 'OutboxDeadLetterQueueUrl', { value: failed.queueUrl });
    this.addCsvExports(tableEnv, failed);
    return failed;
  }

  /** CSV exports: new EXPORT# items reach the export worker through the table's stream. */
  private addCsvExports(tableEnv: Record<string, string>, failed: sqs.IQueue) {
    const worker = new AppFunction(this, 'ExportCsv', {
      entry: 'functions/stream/export-csv.ts',
      environment: { ...tableEnv, DOCUMENTS_BUCKET: this.documents.bucketName },
      timeout: Duration.minutes(15),
      // An assignment preview of 10,000 entries × 2,000 experts solves in ~1.1 GB.
      memorySize: 3008,
      description: 'Produces exports to S3 (CSV page by page from the table; assignment previews of any size)',
    });
    grantTable(worker.role, this.table.tableArn, {
      access: 'readWrite',
      partitions: ['competition', 'entry', 'exportJob', 'need'],
      indexes: [GSI1],
    });
    worker.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.documents.arnForObjects('exports/*')] }),
    );
    this.suppressDocumentObjects(worker.role);
    worker.fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 1,
        retryAttempts: 3,
        reportBatchItemFailures: true,
        // The stream consumers share one dead-letter queue (one place to look, one alarm).
        onFailure: new SqsDlq(failed),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('EXPORT#') } } },
          }),
        ],
      }),
    );
  }
}
