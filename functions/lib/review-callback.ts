import { SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { sfnClient } from './aws.ts';
import { logger } from './logger.ts';
import { claimCallback } from '../store/round-results.ts';

/**
 * Resumes a review round's wait step once every review is in. Either the wait
 * step (reviews complete before it registered) or the completing review gets
 * here; the conditional claim lets exactly one of them send the success.
 */
export const resumeRoundIfComplete = async (competitionId: string, roundId: string): Promise<boolean> => {
  const token = await claimCallback(competitionId, roundId);
  if (!token) return false;
  try {
    await sfnClient().send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ allReviewsIn: true }) }));
    return true;
  } catch (e) {
    // The wait already ended (the round closed on its deadline): the tally has what arrived.
    if (e instanceof TaskTimedOut) {
      logger.info('review wait had already ended', { competitionId, roundId });
      return false;
    }
    throw e;
  }
};
