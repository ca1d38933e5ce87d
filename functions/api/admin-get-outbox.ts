import { api } from '../runtime/http.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listOutbox } from '../store/outbox.ts';

/** What the experts of a round are sent, with delivery state (SES in AWS; the local stack's mail log locally). */
export const handler = api(roundRoutes.adminGetOutbox, async ({ params, event }) => {
  await requireCompetition(params.competitionId);
  const base = `${event.headers['x-forwarded-proto'] ?? 'https'}://${event.headers.host ?? event.requestContext.domainName}`;
  const messages = await listOutbox(params.competitionId, params.roundId);
  return {
    body: {
      messages: messages.map((m) => ({
        ...m,
        links: m.links.map((l) => (l.path ? { ...l, url: `${base}${l.path}` } : l)),
      })),
    },
  };
});
