import { SendTaskSuccessCommand, TaskTimedOut, InvalidToken } from '@aws-sdk/client-sfn';
import { sfnClient } from './aws.ts';
import { logger } from './logger.ts';

/**
 * Sends a claimed callback. A wait that already ended (timed out, or the
 * execution stopped) is not an error for the caller: the workflow moved on.
 */
export const sendClaimedSuccess = async (token: string, output: unknown, context: Record<string, unknown>): Promise<boolean> => {
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
