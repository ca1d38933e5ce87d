import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { roundStateMachine, type TaskFunctions } from './round-state-machine.ts';

/** Every task states its timeout: AWS's default is effectively unbounded, the local engine's is 60 s. */
const TASK_TIMEOUT = sfn.Timeout.duration(Duration.minutes(5));

const invoke = (
  scope: Construct,
  id: string,
  fn: lambda.IFunction,
  payload: Record<string, string>,
  resultSelector: Record<string, string>,
  resultPath: string,
) =>
  new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(
      Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, sfn.JsonPath.stringAt(v)])),
    ),
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

  constructor(scope: Construct, id: string, fns: TaskFunctions) {
    super(scope, id);
    const round = { competitionId: '$.competitionId', roundId: '$.roundId' };

    const open = invoke(
      this,
      'OpenIntake',
      fns.OpenIntake,
      { ...round, executionName: '$$.Execution.Name' },
      {
        deadline: '$.Payload.deadline',
        waitUntil: '$.Payload.waitUntil',
      },
      '$.intake',
    );
    const wait = new sfn.Wait(this, 'WaitForDeadline', { time: sfn.WaitTime.timestampPath('$.intake.waitUntil') });
    const close = invoke(
      this,
      'CloseIntake',
      fns.CloseIntake,
      round,
      {
        closed: '$.Payload.closed',
        deadline: '$.Payload.deadline',
        waitUntil: '$.Payload.waitUntil',
      },
      '$.intake',
    );
    const screen = invoke(
      this,
      'ScreenBatch',
      fns.ScreenBatch,
      round,
      { more: '$.Payload.more', screened: '$.Payload.screened', waitSeconds: '$.Payload.waitSeconds' },
      '$.screening',
    );
    const finalize = new tasks.LambdaInvoke(this, 'FinalizeIntake', {
      lambdaFunction: fns.FinalizeIntake,
      payload: sfn.TaskInput.fromObject({
        competitionId: sfn.JsonPath.stringAt('$.competitionId'),
        roundId: sfn.JsonPath.stringAt('$.roundId'),
      }),
      outputPath: '$.Payload',
      taskTimeout: TASK_TIMEOUT,
    });
    const closed = new sfn.Choice(this, 'IntakeClosed?');
    const more = new sfn.Choice(this, 'MoreToScreen?');
    // A required document still being scanned: wait a little (bounded by the step) and screen again.
    const waitForScans = new sfn.Wait(this, 'WaitForScans', {
      time: sfn.WaitTime.secondsPath('$.screening.waitSeconds'),
    });

    const definition = open
      .next(wait)
      .next(close)
      .next(
        closed
          .when(
            sfn.Condition.booleanEquals('$.intake.closed', true),
            screen.next(
              more
                .when(sfn.Condition.numberGreaterThan('$.screening.waitSeconds', 0), waitForScans.next(screen))
                .when(sfn.Condition.booleanEquals('$.screening.more', true), screen)
                .otherwise(finalize),
            ),
          )
          .otherwise(wait),
      );

    this.stateMachine = roundStateMachine(this, {
      machine: 'intake',
      definition,
      comment: 'Intake round: deadline → close intake → eligibility screening → counts',
    });
  }
}
