import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';

/**
 * What every round state machine shares: Standard type, JSONPath, full logging
 * to its own log group, X-Ray tracing, no execution timeout (a round waits for
 * its dates, however far away), and the cdk-nag evidence for the wildcard its
 * role gets on exactly the task functions named.
 */
export const roundStateMachine = (
  scope: Construct,
  o: { name: string; definition: sfn.IChainable; comment: string; taskFunctionIds: string[] },
): sfn.StateMachine => {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${o.name}-${scope.node.addr.slice(0, 8)}`,
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const machine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: `${Stack.of(scope).stackName}-${o.name}`,
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
        reason: `CDK grants lambda:InvokeFunction on "<function ARN>:*" so that versions and aliases of exactly these ${o.taskFunctionIds.length} functions can be invoked; X-Ray and CloudWatch Logs delivery actions support only Resource "*".`,
        appliesTo: ['Resource::*', { regex: `/^Resource::<(${o.taskFunctionIds.join('|')})Fn[0-9A-F]{8}\\.Arn>:\\*$/g` }],
      },
    ],
    true,
  );
  return machine;
};
