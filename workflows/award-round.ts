import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { roundStateMachine, type TaskFunctions } from './round-state-machine.ts';

/**
 * Award decisions (Standard workflow), started with {competitionId} after the
 * final round is tallied: compute a proposal → wait for the organizer's
 * decision (callback; the token is in the step's input in the console, and the
 * admin route sends it too) → apply it: amend and wait again, reject and
 * recompute, or approve → ask challenge sponsors to confirm their winners
 * (callback with the confirmation window as timeout) → publish and start one
 * hand-off workflow per funded winner.
 */
export class AwardRoundWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, fns: TaskFunctions) {
    super(scope, id);
    const competition = { competitionId: sfn.JsonPath.stringAt('$.competitionId') };
    const taskTimeout = sfn.Timeout.duration(Duration.minutes(5));

    const propose = new tasks.LambdaInvoke(this, 'ComputeProposal', {
      lambdaFunction: fns.AwardPropose,
      payload: sfn.TaskInput.fromObject(competition),
      resultSelector: {
        proposalVersion: sfn.JsonPath.numberAt('$.Payload.proposalVersion'),
        awards: sfn.JsonPath.numberAt('$.Payload.awards'),
        vacancies: sfn.JsonPath.numberAt('$.Payload.vacancies'),
      },
      resultPath: '$.proposal',
      taskTimeout,
    });
    const waitForDecision = new tasks.LambdaInvoke(this, 'WaitForDecision', {
      lambdaFunction: fns.AwardWait,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({ ...competition, kind: 'DECISION', taskToken: sfn.JsonPath.taskToken }),
      // An organizer who does not decide within 30 days: the execution times out and can be redriven.
      taskTimeout: sfn.Timeout.duration(Duration.days(30)),
      resultPath: '$.decision',
    });
    const decide = new tasks.LambdaInvoke(this, 'ApplyDecision', {
      lambdaFunction: fns.AwardDecide,
      payload: sfn.TaskInput.fromObject({ ...competition, decision: sfn.JsonPath.objectAt('$.decision') }),
      resultSelector: {
        next: sfn.JsonPath.stringAt('$.Payload.next'),
        awards: sfn.JsonPath.numberAt('$.Payload.awards'),
      },
      resultPath: '$.decided',
      taskTimeout,
    });
    const confirm = new tasks.LambdaInvoke(this, 'RequestSponsorConfirmations', {
      lambdaFunction: fns.AwardConfirm,
      payload: sfn.TaskInput.fromObject(competition),
      resultSelector: {
        pending: sfn.JsonPath.numberAt('$.Payload.pending'),
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
      },
      // Under "Payload", as in the review round: the wait's TimeoutSecondsPath then resolves alike in AWS and locally.
      resultPath: '$.Payload',
      taskTimeout,
    });
    const waitForSponsors = new tasks.LambdaInvoke(this, 'WaitForSponsors', {
      lambdaFunction: fns.AwardWait,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        ...competition,
        kind: 'SPONSORS',
        taskToken: sfn.JsonPath.taskToken,
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
      }),
      taskTimeout: sfn.Timeout.at('$.Payload.timeoutSeconds'),
      resultPath: '$.sponsors',
    });
    const publish = new tasks.LambdaInvoke(this, 'Publish', {
      lambdaFunction: fns.AwardPublish,
      payload: sfn.TaskInput.fromObject(competition),
      outputPath: '$.Payload',
      taskTimeout,
    });
    // Unanswered confirmations are not a failure: the organizer's decision stands, recorded as timed out.
    waitForSponsors.addCatch(publish, { errors: ['States.Timeout'], resultPath: '$.sponsorTimeout' });
    waitForSponsors.next(publish);

    const definition = propose
      .next(waitForDecision)
      .next(decide)
      .next(
        new sfn.Choice(this, 'Decision?')
          .when(
            sfn.Condition.stringEquals('$.decided.next', 'CONFIRM'),
            confirm.next(
              new sfn.Choice(this, 'SponsorsToConfirm?')
                .when(sfn.Condition.numberGreaterThan('$.Payload.pending', 0), waitForSponsors)
                .otherwise(publish),
            ),
          )
          .when(sfn.Condition.stringEquals('$.decided.next', 'RECOMPUTE'), propose)
          .otherwise(waitForDecision),
      );

    this.stateMachine = roundStateMachine(this, {
      machine: 'awards',
      definition,
      comment:
        'Awards: proposal → organizer decision (callback; amend ⟳, reject → recompute) → sponsor confirmations (callback, timeout) → publish → hand-offs',
    });
  }
}
