import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { roundStateMachine, type TaskFunctions } from './round-state-machine.ts';

/**
 * A review round (Standard workflow), started with {competitionId, roundId}:
 * assign reviewers (exact, conflict-free; or one panel per track) and queue
 * their signed links → wait for the reviews with a callback whose timeout is
 * the next checkpoint or the round's close → follow up (reminders, backups for
 * declined and overdue reviews, extra reviewers where scores disagree) and wait
 * again, or tally and apply the advancement rule. Its history grows with the
 * checkpoints and disagreement passes, never with entries or reviews: reviews
 * do not pass through the execution.
 */
export class ReviewRoundWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, fns: TaskFunctions) {
    super(scope, id);
    const round = {
      competitionId: sfn.JsonPath.stringAt('$.competitionId'),
      roundId: sfn.JsonPath.stringAt('$.roundId'),
    };
    const taskTimeout = sfn.Timeout.duration(Duration.minutes(5));

    const assign = new tasks.LambdaInvoke(this, 'AssignReviewers', {
      lambdaFunction: fns.ReviewAssign,
      payload: sfn.TaskInput.fromObject({ ...round, executionName: sfn.JsonPath.stringAt('$$.Execution.Name') }),
      resultSelector: {
        assigned: sfn.JsonPath.numberAt('$.Payload.assigned'),
        shortfalls: sfn.JsonPath.numberAt('$.Payload.shortfalls'),
        closed: sfn.JsonPath.stringAt('$.Payload.closed'),
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
      },
      // Stored under "Payload" on purpose: the wait step's TimeoutSecondsPath "$.Payload.timeoutSeconds" then
      // resolves to the same number against the state input (AWS) and against the evaluated Parameters, whose
      // Payload repeats it (aws-local-stepfunctions evaluates the path there).
      resultPath: '$.Payload',
      taskTimeout,
    });
    const wait = new tasks.LambdaInvoke(this, 'WaitForReviews', {
      lambdaFunction: fns.ReviewWait,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        ...round,
        taskToken: sfn.JsonPath.taskToken,
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
      }),
      // The round's close, computed by AssignReviewers.
      taskTimeout: sfn.Timeout.at('$.Payload.timeoutSeconds'),
      resultPath: '$.reviews',
    });
    const tally = new tasks.LambdaInvoke(this, 'Tally', {
      lambdaFunction: fns.ReviewTally,
      payload: sfn.TaskInput.fromObject(round),
      outputPath: '$.Payload',
      taskTimeout,
    });
    // The wait ends when every review is in or at a checkpoint (a timeout is not a failure): the follow-up
    // sends due reminders, adds backup and extra reviewers, and says whether to wait again or tally.
    const followUp = new tasks.LambdaInvoke(this, 'FollowUpReviews', {
      lambdaFunction: fns.ReviewFollowUp,
      payload: sfn.TaskInput.fromObject(round),
      resultSelector: {
        next: sfn.JsonPath.stringAt('$.Payload.next'),
        timeoutSeconds: sfn.JsonPath.numberAt('$.Payload.timeoutSeconds'),
        reminded: sfn.JsonPath.numberAt('$.Payload.reminded'),
        added: sfn.JsonPath.numberAt('$.Payload.added'),
        unfilled: sfn.JsonPath.listAt('$.Payload.unfilled'),
        progress: sfn.JsonPath.objectAt('$.Payload.progress'),
      },
      resultPath: '$.Payload',
      taskTimeout,
    });
    wait.addCatch(followUp, { errors: ['States.Timeout'], resultPath: '$.reviews' });
    followUp.next(
      new sfn.Choice(this, 'AllReviewsIn?')
        .when(sfn.Condition.stringEquals('$.Payload.next', 'TALLY'), tally)
        .otherwise(wait),
    );
    const definition = assign.next(wait).next(followUp);

    this.stateMachine = roundStateMachine(this, {
      machine: 'review',
      definition,
      comment:
        'Review round: assign → wait for reviews (callback) ⇄ follow up (reminders, backup and extra reviewers) → tally and advance',
    });
  }
}
