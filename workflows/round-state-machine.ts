import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { MachineId } from '../functions/function-spec.ts';
import { tasksOf, type TaskId } from '../functions/tasks.ts';

/** The task table's functions, as the stack created them; each workflow takes its own by id. */
export type TaskFunctions = Record<TaskId, lambda.IFunction>;

const MACHINE_NAMES: Record<MachineId, string> = {
  intake: 'IntakeRound',
  review: 'ReviewRound',
  awards: 'AwardRound',
  handoff: 'ProjectHandOff',
};

/** A machine's name, known before synthesis so roles can be granted on it without a dependency cycle. */
export const machineName = (stack: Stack, machine: MachineId) => `${stack.stackName}-${MACHINE_NAMES[machine]}`;

/**
 * What every round state machine shares: Standard type, JSONPath, full logging
 * to its own log group, X-Ray tracing, no execution timeout (a round waits for
 * its dates, however far away), and the cdk-nag evidence for the wildcard its
 * role gets on exactly the task functions named.
 */
export const roundStateMachine = (
  scope: Construct,
  o: { machine: MachineId; definition: sfn.IChainable; comment: string },
): sfn.StateMachine => {
  const name = MACHINE_NAMES[o.machine];
  const taskFunctionIds = tasksOf(o.machine);
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${name}-${scope.node.addr.slice(0, 8)}`,
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const machine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: machineName(Stack.of(scope), o.machine),
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromChainable(o.definition),
    comment: o.comment,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  NagSuppressions.addResourceSuppressions(
    machine.role,
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          `CDK grants lambda:InvokeFunction on "<function ARN>:*" so that versions and aliases of exactly these ` +
          `${taskFunctionIds.length} functions can be invoked; X-Ray and CloudWatch Logs delivery actions support only Resource "*".`,
        appliesTo: ['Resource::*', { regex: `/^Resource::<(${taskFunctionIds.join('|')})Fn[0-9A-F]{8}\\.Arn>:\\*$/g` }],
      },
    ],
    true,
  );
  return machine;
};
