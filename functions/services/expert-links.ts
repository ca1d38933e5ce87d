import { AppError } from '../../shared/errors.ts';
import { logger } from '../runtime/logger.ts';
import { requireCompetition } from '../store/competitions.ts';
import { expertHomeIdOf, homeAssignments, renewHomeLink } from '../store/expert-homes.ts';
import { outboxMessageKey } from '../store/outbox.ts';
import { queueReviewMessage } from './notifications.ts';
import { reviewRoundOf } from './round-data.ts';

/**
 * The organizer renews an expert's link to their home in a round (lost, or forwarded): a new link
 * version — every link sent before stops working — mailed at once. 404 when the expert has no review
 * in the round.
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
  const homeId = expertHomeIdOf(competitionId, roundId, expertEmail);
  const linkVersion = await renewHomeLink(homeId);
  if (linkVersion === undefined)
    throw new AppError(404, 'NOT_FOUND', `${expertEmail} has no review in round "${roundId}"`);
  const active = (await homeAssignments(homeId)).filter((a) => a.status === 'PENDING' || a.status === 'SUBMITTED');
  await queueReviewMessage({
    kind: 'EXPERT_HOME_LINK',
    messageKey: outboxMessageKey.homeLink(expertEmail, linkVersion),
    expert: { email: expertEmail },
    competitionId,
    roundId,
    closesAt: round.reviewClosesAt,
    assignments: active,
    at,
  });
  logger.info('expert home link renewed', { competitionId, roundId, linkVersion, by: principal });
  return { linkVersion, sentTo: expertEmail };
};
