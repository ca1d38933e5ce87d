import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { routeList } from '../functions/routes.ts';
import { GSI1 } from '../functions/store/keys.ts';
import { IntakeRoundWorkflow } from '../workflows/intake-round.ts';
import { ReviewRoundWorkflow, reviewRoundMachineName } from '../workflows/review-round.ts';
import { AwardRoundWorkflow, awardRoundMachineName } from '../workflows/award-round.ts';
import { ProjectHandOffWorkflow, handOffMachineName } from '../workflows/project-handoff.ts';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AppFunction, grantTable } from './function.ts';

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

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
  /** HMAC key of signed links (review, appointment, sponsor confirmation): {"current": "...", "previous"?: "..."}. */
  readonly linkSigningKey: secretsmanager.Secret;

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
      ],
    });
    const tableEnv = { TABLE_NAME: this.table.tableName };

    this.linkSigningKey = new secretsmanager.Secret(this, 'LinkSigningKey', {
      description: 'HMAC-SHA-256 key for signed links; rotate by moving "current" to "previous" and setting a new "current"',
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(this.linkSigningKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason: 'Rotation is a planned step, not a schedule: links stay valid until their round closes, so the old key moves to "previous" and both verify until then.',
      },
    ]);

    const workflowFn = (name: string, entry: string, timeout = Duration.seconds(60)) => {
      const f = new AppFunction(this, name, { entry, environment: tableEnv, timeout, description: `Intake round task: ${name}` });
      grantTable(f.role, this.table.tableArn, [GSI1], 'readWrite');
      return f.fn;
    };
    this.intake = new IntakeRoundWorkflow(this, 'IntakeRound', {
      openIntake: workflowFn('OpenIntake', 'functions/workflow/intake-open.ts'),
      closeIntake: workflowFn('CloseIntake', 'functions/workflow/intake-close.ts'),
      screenBatch: workflowFn('ScreenBatch', 'functions/workflow/intake-screen.ts', Duration.minutes(4)),
      finalizeIntake: workflowFn('FinalizeIntake', 'functions/workflow/intake-finalize.ts'),
    });

    // Review rounds. Task-token calls are granted on the machine's ARN built from its
    // fixed name: referencing the machine itself would make a dependency cycle.
    const reviewMachineArn = Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: reviewRoundMachineName(this), arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const grantTaskResponse = (role: iam.IRole) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [reviewMachineArn] }));
    const reviewFn = (name: string, entry: string, opts: { secret?: boolean; callback?: boolean; memory?: number } = {}) => {
      const f = new AppFunction(this, name, {
        entry,
        environment: { ...tableEnv, ...(opts.secret ? { LINK_KEY_SECRET_ARN: this.linkSigningKey.secretArn } : {}) },
        timeout: Duration.minutes(2),
        memorySize: opts.memory,
        description: `Review round task: ${name}`,
      });
      grantTable(f.role, this.table.tableArn, [GSI1], 'readWrite');
      if (opts.secret) this.linkSigningKey.grantRead(f.role);
      if (opts.callback) grantTaskResponse(f.role);
      return f.fn;
    };
    this.review = new ReviewRoundWorkflow(this, 'ReviewRound', {
      assign: reviewFn('ReviewAssign', 'functions/workflow/review-assign.ts', { secret: true, memory: 1024 }),
      wait: reviewFn('ReviewWait', 'functions/workflow/review-wait.ts', { callback: true }),
      followUp: reviewFn('ReviewFollowUp', 'functions/workflow/review-follow-up.ts', { secret: true, memory: 1024 }),
      tally: reviewFn('ReviewTally', 'functions/workflow/review-tally.ts'),
    });

    // Awards and the hand-off of funded winners. Callback grants again by name (no cycle).
    const machineArn = (name: string) => Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const awardMachineArn = machineArn(awardRoundMachineName(this));
    const handOffMachineArn = machineArn(handOffMachineName(this));
    const grantCallbacks = (role: iam.IRole, arns: string[]) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: arns }));
    const stepFn = (name: string, entry: string, what: string, opts: { secret?: boolean; callbacks?: string[]; environment?: Record<string, string> } = {}) => {
      const f = new AppFunction(this, name, {
        entry,
        environment: { ...tableEnv, ...(opts.secret ? { LINK_KEY_SECRET_ARN: this.linkSigningKey.secretArn } : {}), ...opts.environment },
        timeout: Duration.minutes(2),
        description: `${what} task: ${name}`,
      });
      grantTable(f.role, this.table.tableArn, [GSI1], 'readWrite');
      if (opts.secret) this.linkSigningKey.grantRead(f.role);
      if (opts.callbacks) grantCallbacks(f.role, opts.callbacks);
      return f;
    };
    this.handOff = new ProjectHandOffWorkflow(this, 'ProjectHandOff', {
      appoint: stepFn('HandOffAppoint', 'functions/workflow/handoff-appoint.ts', 'Hand-off', { secret: true }).fn,
      wait: stepFn('HandOffWait', 'functions/workflow/handoff-wait.ts', 'Hand-off', { callbacks: [handOffMachineArn] }).fn,
      step: stepFn('HandOffStep', 'functions/workflow/handoff-step.ts', 'Hand-off', { secret: true }).fn,
    });
    const publish = stepFn('AwardPublish', 'functions/workflow/award-publish.ts', 'Award', { environment: { HANDOFF_STATE_MACHINE_ARN: this.handOff.stateMachine.stateMachineArn } });
    this.handOff.stateMachine.grantStartExecution(publish.role);
    this.awards = new AwardRoundWorkflow(this, 'AwardRound', {
      propose: stepFn('AwardPropose', 'functions/workflow/award-propose.ts', 'Award').fn,
      wait: stepFn('AwardWait', 'functions/workflow/award-wait.ts', 'Award', { callbacks: [awardMachineArn] }).fn,
      decide: stepFn('AwardDecide', 'functions/workflow/award-decide.ts', 'Award').fn,
      confirm: stepFn('AwardConfirm', 'functions/workflow/award-confirm.ts', 'Award', { secret: true }).fn,
      publish: publish.fn,
    });

    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
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

    for (const route of routeList()) {
      const f = new AppFunction(this, `${pascal(route.id)}Function`, {
        entry: route.entry,
        environment: {
          ...tableEnv,
          ...(route.startsIntake ? { INTAKE_STATE_MACHINE_ARN: this.intake.stateMachine.stateMachineArn, REVIEW_STATE_MACHINE_ARN: this.review.stateMachine.stateMachineArn } : {}),
          ...(route.signsLinks ? { LINK_KEY_SECRET_ARN: this.linkSigningKey.secretArn } : {}),
          ...(route.startsAwards ? { AWARD_STATE_MACHINE_ARN: this.awards.stateMachine.stateMachineArn } : {}),
        },
        description: `${route.method} ${route.path}`,
        ...(route.timeoutSeconds ? { timeout: Duration.seconds(route.timeoutSeconds) } : {}),
        ...(route.memoryMb ? { memorySize: route.memoryMb } : {}),
      });
      grantTable(f.role, this.table.tableArn, [GSI1], route.table);
      if (route.signsLinks) this.linkSigningKey.grantRead(f.role);
      if (route.resumesRounds) grantTaskResponse(f.role);
      if (route.resumesAwards) grantCallbacks(f.role, [awardMachineArn, handOffMachineArn]);
      if (route.startsAwards) {
        this.awards.stateMachine.grantStartExecution(f.role);
        this.awards.stateMachine.grantExecution(f.role, 'states:DescribeExecution', 'states:RedriveExecution');
        NagSuppressions.addResourceSuppressions(
          f.role,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason: 'DescribeExecution/RedriveExecution on executions of the award state machine only; execution names are known at run time.',
              appliesTo: [{ regex: '/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):execution:.*:\\*$/g' }],
            },
          ],
          true,
        );
      }
      if (route.startsIntake) {
        for (const machine of [this.intake.stateMachine, this.review.stateMachine]) {
          machine.grantStartExecution(f.role);
          machine.grantExecution(f.role, 'states:DescribeExecution', 'states:RedriveExecution');
        }
        NagSuppressions.addResourceSuppressions(
          f.role,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason: 'DescribeExecution/RedriveExecution on executions of the two round state machines only; execution names are known at run time.',
              // The partition/region/account appear as tokens or as literals, depending on whether the stack has an env.
              appliesTo: [{ regex: '/^Resource::arn:(<AWS::Partition>|aws[a-z-]*):states:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|\\d{12}):execution:.*:\\*$/g' }],
            },
          ],
          true,
        );
      }
      this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${pascal(route.id)}Integration`, f.fn),
        authorizer: route.auth === 'admin' ? iamAuth : undefined,
      });
    }

    this.addMailDelivery(tableEnv);

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'IntakeStateMachineArn', { value: this.intake.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ReviewStateMachineArn', { value: this.review.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AwardStateMachineArn', { value: this.awards.stateMachine.stateMachineArn });
    new CfnOutput(this, 'HandOffStateMachineArn', { value: this.handOff.stateMachine.stateMachineArn });

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-APIG4',
        reason: 'Public routes (competition list, entry creation) are open by design; applicant routes check a bearer entry token in the handler; every /admin route uses IAM authorization.',
      },
      { id: 'AwsSolutions-L1', reason: 'The platform targets Node.js 22 (nodejs22.x), the runtime this project is tested on.' },
    ]);
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
      environment: { ...tableEnv, MAIL_FROM: mailFrom, PUBLIC_BASE_URL: publicBaseUrl ?? this.api.apiEndpoint },
      timeout: Duration.seconds(60),
      description: 'Sends outbox messages (review links, reminders) by e-mail through SES',
    });
    grantTable(delivery.role, this.table.tableArn, [], 'readWrite');
    const domain = mailFrom.split('@')[1]!;
    delivery.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        // SES authorizes against the address identity or its domain identity, whichever is verified.
        resources: [`identity/${mailFrom}`, `identity/${domain}`].map((resourceName) => this.formatArn({ service: 'ses', resource: resourceName.split('/')[0]!, resourceName: resourceName.split('/')[1]! })),
      }),
    );
    const failed = new sqs.Queue(this, 'OutboxDeliveryDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    NagSuppressions.addResourceSuppressions(failed, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the outbox delivery; it has none of its own.' }]);
    delivery.fn.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        retryAttempts: 5,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failed),
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT'), dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith('OUTBOX#') } } } })],
      }),
    );
    new CfnOutput(this, 'OutboxDeadLetterQueueUrl', { value: failed.queueUrl });
  }
}
