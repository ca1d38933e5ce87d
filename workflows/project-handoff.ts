import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { roundStateMachine, type TaskFunctions } from './round-state-machine.ts';

/**
 * One winner's hand-off into a funded project (Standard workflow, named
 * `<competitionId>_<entryId>` so starting it twice is harmless): appoint the
 * project manager (signed link; callback with the appointment window as
 * timeout, after which the organizer is notified) → create the funded project
 * → wait for the special review meeting's decision (callback) → ACTIVE, or
 * rejected.
 */
export class ProjectHandOffWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, fns: TaskFunctions) {
    super(scope, id);
    const taskTimeout = sfn.Timeout.duration(Duration.minutes(5));
    const projectId = sfn.JsonPath.stringAt('$.Payload.projectId');
    const step = (
      name: string,
      kind: string,
      extra: Record<string, unknown> = {},
      resultPath = `$.${name.charAt(0).toLowerCase()}${name.slice(1)}`,
    ) =>
      new tasks.LambdaInvoke(this, name, {
        lambdaFunction: fns.HandOffStep,
        payload: sfn.TaskInput.fromObject({ projectId, step: kind, ...extra }),
        resultSelector: {
          next: sfn.JsonPath.stringAt('$.Payload.next'),
          status: sfn.JsonPath.stringAt('$.Payload.status'),
        },
        resultPath,
        taskTimeout,
      });

    const appoint = new tasks.LambdaInvoke(this, 'AppointProjectManager', {
      lambdaFunction: fns.HandOffAppoint,
      payload: sfn.TaskInput.fromObject({
        competitionId: sfn.JsonPath.stringAt('$.competitionId'),
        entryId: sfn.JsonPath.stringAt('$.entryId'),
        awardId: sfn.JsonPath.stringAt('$.awardId'),
      }),
      resultSelector: {
        projectId: sfn.JsonPath.stringAt('$.Payload.projectId'),
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
      },
      // Under "Payload" so the wait's TimeoutSecondsPath resolves alike in AWS and locally (see the review round).
      resultPath: '$.Payload',
      taskTimeout,
    });
    const waitForAnswer = new tasks.LambdaInvoke(this, 'WaitForAppointee', {
      lambdaFunction: fns.HandOffWait,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        projectId,
        kind: 'APPOINTMENT',
        taskToken: sfn.JsonPath.taskToken,
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
      }),
      taskTimeout: sfn.Timeout.at('$.Payload.timeoutSeconds'),
      resultPath: '$.answer',
    });
    const expired = step('AppointmentExpired', 'EXPIRED');
    waitForAnswer.addCatch(expired, { errors: ['States.Timeout'], resultPath: '$.timedOut' });

    const waitForMeeting = new tasks.LambdaInvoke(this, 'WaitForReviewMeeting', {
      lambdaFunction: fns.HandOffWait,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({ projectId, kind: 'MEETING', taskToken: sfn.JsonPath.taskToken }),
      taskTimeout: sfn.Timeout.duration(Duration.days(90)),
      resultPath: '$.meeting',
    });
    const applyMeeting = step(
      'ApplyMeetingDecision',
      'MEETING',
      { decision: sfn.JsonPath.objectAt('$.meeting') },
      '$.applied',
    );
    applyMeeting.next(
      new sfn.Choice(this, 'MeetingDecided?')
        .when(sfn.Condition.stringEquals('$.applied.next', 'WAIT'), waitForMeeting)
        .otherwise(new sfn.Succeed(this, 'HandedOff')),
    );
    waitForMeeting.next(applyMeeting);

    const definition = appoint
      .next(waitForAnswer)
      .next(
        new sfn.Choice(this, 'Accepted?')
          .when(
            sfn.Condition.booleanEquals('$.answer.accepted', true),
            step('CreateFundedProject', 'ACCEPTED').next(waitForMeeting),
          )
          .otherwise(step('RecordDecline', 'DECLINED')),
      );

    this.stateMachine = roundStateMachine(this, {
      machine: 'handoff',
      definition,
      comment:
        'Hand-off: appoint the project manager (link; callback; timeout notifies the organizer) → funded project → special review meeting (callback) → ACTIVE',
    });
  }
}
