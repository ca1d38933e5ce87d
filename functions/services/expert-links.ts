import { AppError, conflict } from '../../shared/errors.ts';
import { logger } from '../runtime/logger.ts';
import { requireCompetition } from '../store/competitions.ts';
import { expertHomeIdOf, homeAssignments, renewHomeLink } from '../store/expert-homes.ts';
import { getExpert } from '../store/experts.ts';
import { renewReviewLinks } from '../store/reviews.ts';
import { getRoundRun } from '../store/rounds.ts';
import { outboxMessageKey } from '../store/outbox.ts';
import { queueReviewMessage } from './notifications.ts';
import { reviewRoundOf } from './round-data.ts';

/**
 * The organizer renews an expert's link to their home in a round (lost, or forwarded): a new link
 * version for the home and for each of its open reviews — every link sent or shown before, the review
 * links the old home listed included, stops working — and the new one mailed at once. 404 when the
 * expert has no review in the round; 409 once the round has closed (a new link would already be dead).
 */
export const renewExpertLink = async (
  competitionId: string,
  roundId: string,
  expertEmail: string,
  principal: string,
  at: Date,
) => {
  const competition = await requireCompetition(competitionId);
  const { round } = reviewRoundOf(competition, roundId);
  const run = await getRoundRun(competitionId, roundId);
  if (run?.frozenAt || run?.status === 'TALLIED' || at.getTime() >= Date.parse(round.reviewClosesAt))
    throw conflict('ROUND_CLOSED', `Round "${roundId}" has closed: its links no longer open anything`);
  const homeId = expertHomeIdOf(competitionId, roundId, expertEmail);
  const linkVersion = await renewHomeLink(homeId);
  if (linkVersion === undefined)
    throw new AppError(404, 'NOT_FOUND', `${expertEmail} has no review in round "${roundId}"`);
  const active = (await homeAssignments(homeId)).filter((a) => a.status === 'PENDING' || a.status === 'SUBMITTED');
  const renewed = await renewReviewLinks(active);
  await queueReviewMessage({
    kind: 'EXPERT_HOME_LINK',
    messageKey: outboxMessageKey.homeLink(expertEmail, linkVersion),
    expert: (await getExpert(expertEmail)) ?? { email: expertEmail },
    competitionId,
    roundId,
    closesAt: round.reviewClosesAt,
    assignments: renewed,
    at,
  });
  logger.info('expert home link renewed', { competitionId, roundId, linkVersion, by: principal });
  return { linkVersion, sentTo: expertEmail };
};
