import { api } from '../lib/http.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { requireCompetition } from '../store/competitions.ts';
import { listOutbox } from '../store/round-results.ts';

/** What the experts of a round are sent (SES delivers it in AWS; locally this is where to find the links). */
export const handler = api(organizerRoutes.adminGetOutbox, async ({ params, event }) => {
  await requireCompetition(params.competitionId);
  const base = `${event.headers['x-forwarded-proto'] ?? 'https'}://${event.headers.host ?? event.requestContext.domainName}`;
  const messages = await listOutbox(params.competitionId, params.roundId);
  return { body: { messages: messages.map((m) => ('links' in m ? { kind: 'LINKS', ...m, links: m.links.map((l) => ({ ...l, url: `${base}${l.path}` })) } : m)) } };
});
