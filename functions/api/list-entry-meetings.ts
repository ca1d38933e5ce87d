import { api } from '../runtime/http.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { loadOwnedEntry } from '../services/entry-access.ts';
import { solverMeetings } from '../services/matching.ts';

/** The solver's meetings: those proposed to its entry's answer, with the sponsor's contact once it accepted one. */
export const handler = api(matchingRoutes.listEntryMeetings, async ({ params, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  return { body: await solverMeetings(entry) };
});
