import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listOutboxPage } from '../store/outbox.ts';

/**
 * What the experts of a round are sent, a page at a time, with delivery state (SES in AWS; the local
 * stack's mail log locally). Links appear as what they are for (subject, purpose, version, expiry),
 * never as working URLs: those exist only in the e-mail.
 */
export const handler = api(roundRoutes.adminGetOutbox, async ({ params, query }) => {
  await requireCompetition(params.competitionId);
  const page = await listOutboxPage(params.competitionId, params.roundId, query.limit, query.cursor);
  return { body: { items: page.items, nextCursor: page.cursor ?? null } };
});
