import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listOutbox } from '../store/outbox.ts';

/**
 * What the experts of a round are sent, with delivery state (SES in AWS; the local stack's mail log
 * locally). Links appear as what they are for (subject, purpose, version, expiry), never as working
 * URLs: those exist only in the e-mail.
 */
export const handler = api(roundRoutes.adminGetOutbox, async ({ params }) => {
  await requireCompetition(params.competitionId);
  return { body: { messages: await listOutbox(params.competitionId, params.roundId) } };
});
