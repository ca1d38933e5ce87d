import { DescribeExecutionCommand, ExecutionAlreadyExists, RedriveExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from './aws.ts';

/** arn:aws:states:<region>:<account>:stateMachine:<name> → arn:aws:states:<region>:<account>:execution:<name>:<execution> */
const executionArn = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const REDRIVABLE = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

/**
 * Starts the execution under its deterministic name, or finds the one that
 * exists; a failed or interrupted one resumes (redrive) — every step is
 * idempotent. 202 when something was started, 200 when it was already running.
 */
export const startOrResume = async (stateMachineArn: string, name: string, input: unknown) => {
  let arn: string;
  let started = true;
  try {
    arn = (await sfnClient().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }))).executionArn!;
  } catch (e) {
    if (!(e instanceof ExecutionAlreadyExists)) throw e;
    arn = executionArn(stateMachineArn, name);
    started = false;
  }
  let d = await sfnClient().send(new DescribeExecutionCommand({ executionArn: arn }));
  if (!started && REDRIVABLE.has(d.status ?? '')) {
    await sfnClient().send(new RedriveExecutionCommand({ executionArn: arn }));
    d = await sfnClient().send(new DescribeExecutionCommand({ executionArn: arn }));
    started = true;
  }
  return { status: started ? 202 : 200, body: { executionArn: arn, executionName: name, status: d.status, startDate: d.startDate, redriveCount: d.redriveCount ?? 0 } };
};
