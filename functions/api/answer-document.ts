import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { matchingRoutes } from '../routes/matching.ts';
import { openAnswerDocument } from '../services/matching.ts';
import { loadSponsorNeed } from '../services/needs.ts';

/** 揭榜: the sponsor reads a document of an answer to its own need (its token; recorded, five-minute GET). */
export const handler = api(matchingRoutes.getAnswerDocument, async ({ params, headers }) => {
  const need = await loadSponsorNeed(params.needId, headers);
  const location = await openAnswerDocument(need, params.entryId, params.documentId, now());
  return { status: 303, headers: { location }, body: { location } };
});
