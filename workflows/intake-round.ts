import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

export interface IntakeRoundProps {
  openIntake: lambda.IFunction;
  closeIntake: lambda.IFunction;
  screenBatch: lambda.IFunction;
  finalizeIntake: lambda.IFunction;
}

/** Every task states its timeout: AWS's default is effectively unbounded, the local engine's is 60 s. */
const TASK_TIMEOUT = sfn.Timeout.duration(Duration.minutes(5));

const invoke = (scope: Construct, id: string, fn: lambda.IFunction, payload: Record<string, string>, resultSelector: Record<string, string>, resultPath: string) =>
  new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, sfn.JsonPath.stringAt(v)]))),
    resultSelector: Object.fromEntries(Object.entries(resultSelector).map(([k, v]) => [k, sfn.JsonPath.stringAt(v)])),
    resultPath,
    taskTimeout: TASK_TIMEOUT,
    retryOnServiceExceptions: true,
  });

/**
 * The intake round (Standard workflow), started with {competitionId, roundId}:
 * wait for the submission deadline → close intake → screen entries in batches
 * (形式审查) → record per-track counts. Its history grows with batches, never
 * with entries.
 */
export class IntakeRoundWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: IntakeRoundProps) {
    super(scope, id);
    const round = { competitionId: '$.competitionId', roundId: '$.roundId' };

    const open = invoke(this, 'OpenIntake', props.openIntake, { ...round, executionName: '$$.Execution.Name' }, {
      deadline: '$.Payload.deadline',
      waitUntil: '$.Payload.waitUntil',
    }, '$.intake');
    const wait = new sfn.Wait(this, 'WaitForDeadline', { time: sfn.WaitTime.timestampPath('$.intake.waitUntil') });
    const close = invoke(this, 'CloseIntake', props.closeIntake, round, {
      closed: '$.Payload.closed',
      deadline: '$.Payload.deadline',
      waitUntil: '$.Payload.waitUntil',
    }, '$.intake');
    const screen = invoke(this, 'ScreenBatch', props.screenBatch, round, { more: '$.Payload.more', screened: '$.Payload.screened' }, '$.screening');
    const finalize = new tasks.LambdaInvoke(this, 'FinalizeIntake', {
      lambdaFunction: props.finalizeIntake,
      payload: sfn.TaskInput.fromObject({ competitionId: sfn.JsonPath.stringAt('$.competitionId'), roundId: sfn.JsonPath.stringAt('$.roundId') }),
      outputPath: '$.Payload',
      taskTimeout: TASK_TIMEOUT,
    });
    const closed = new sfn.Choice(this, 'IntakeClosed?');
    const more = new sfn.Choice(this, 'MoreToScreen?');

    const definition = open
      .next(wait)
      .next(close)
      .next(
        closed
          .when(sfn.Condition.booleanEquals('$.intake.closed', true), screen.next(more.when(sfn.Condition.booleanEquals('$.screening.more', true), screen).otherwise(finalize)))
          .otherwise(wait),
      );

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${id}-${scope.node.addr.slice(0, 8)}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `${Stack.of(this).stackName}-IntakeRound`,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      comment: 'Intake round: deadline → close intake → eligibility screening → counts',
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      // No execution timeout: a round waits for its deadline however far away (Standard executions may run a year).
    });
    NagSuppressions.addResourceSuppressions(
      this.stateMachine.role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'CDK grants lambda:InvokeFunction on "<function ARN>:*" so that versions and aliases of exactly these four functions can be invoked; X-Ray and CloudWatch Logs delivery actions support only Resource "*".',
          appliesTo: ['Resource::*', { regex: '/^Resource::<(OpenIntake|CloseIntake|ScreenBatch|FinalizeIntake)Fn[0-9A-F]{8}\\.Arn>:\\*$/g' }],
        },
      ],
      true,
    );
  }
}
