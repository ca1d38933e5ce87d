import { claimCallback } from '../store/round-results.ts';
import { sendClaimedSuccess } from './task-callback.ts';

/**
 * Resumes a review round's wait step once every review is in. Either the wait
 * step (reviews complete before it registered) or the completing review gets
 * here; the conditional claim lets exactly one of them send the success.
 */
export const resumeRoundIfComplete = async (competitionId: string, roundId: string): Promise<boolean> => {
  const token = await claimCallback(competitionId, roundId);
  if (!token) return false;
  // If the wait already ended (the round closed on its deadline), the tally has what arrived.
  return sendClaimedSuccess(token, { allReviewsIn: true }, { competitionId, roundId });
};
