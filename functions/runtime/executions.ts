import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { sfnClient } from './aws.ts';
import { logger } from './logger.ts';

/** arn:aws:states:<region>:<account>:stateMachine:<name> → arn:aws:states:<region>:<account>:execution:<name>:<execution> */
const executionArn = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const REDRIVABLE = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

/**
 * Starts an execution under its deterministic name: its ARN when this call
 * started it, undefined when it already existed (a replay: nothing to do).
 */
export const startOnce = async (stateMachineArn: string, name: string, input: unknown) => {
  try {
    const command = new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) });
    return (await sfnClient().send(command)).executionArn!;
  } catch (e) {
    if (e instanceof ExecutionAlreadyExists) return undefined;
    throw e;
  }
};

/**
 * Starts the execution under its deterministic name, or finds the one that
 * exists; a failed or interrupted one resumes (redrive) — every step is
 * idempotent. 202 when something was started, 200 when it was already running.
 */
export const startOrResume = async (stateMachineArn: string, name: string, input: unknown) => {
  const startedArn = await startOnce(stateMachineArn, name, input);
  const arn = startedArn ?? executionArn(stateMachineArn, name);
  let started = startedArn !== undefined;
  let d = await sfnClient().send(new DescribeExecutionCommand({ executionArn: arn }));
  if (!started && REDRIVABLE.has(d.status ?? '')) {
    await sfnClient().send(new RedriveExecutionCommand({ executionArn: arn }));
    d = await sfnClient().send(new DescribeExecutionCommand({ executionArn: arn }));
    started = true;
  }
  const body = {
    executionArn: arn,
    executionName: name,
    status: d.status,
    startDate: d.startDate,
    redriveCount: d.redriveCount ?? 0,
  };
  return { status: started ? 202 : 200, body };
};

/**
 * Sends a task token's success. A wait that already ended (timed out, or the
 * execution stopped) is not an error for the caller: the workflow moved on.
 */
export const sendTaskSuccess = async (
  token: string,
  output: unknown,
  context: Record<string, unknown>,
): Promise<boolean> => {
  try {
    await sfnClient().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    return true;
  } catch (e) {
    if (e instanceof TaskTimedOut || e instanceof InvalidToken) {
      logger.info('the wait had already ended', context);
      return false;
    }
    throw e;
  }
};

/** An execution's status by its deterministic name; NOT_STARTED when there is none of that name. */
export const executionStatus = async (stateMachineArn: string, name: string): Promise<string> => {
  try {
    const d = await sfnClient().send(
      new DescribeExecutionCommand({ executionArn: executionArn(stateMachineArn, name) }),
    );
    return d.status ?? 'UNKNOWN';
  } catch (e) {
    if (e instanceof ExecutionDoesNotExist) return 'NOT_STARTED';
    throw e;
  }
};
