import { assertSponsorEditable } from '../../shared/needs.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import {
  appendEvent,
  assertFitsCompetition,
  loadSponsorNeed,
  normalizedContent,
  ownerNeedView,
  sameContent,
  withContent,
} from '../services/needs.ts';
import { requireCompetition } from '../store/competitions.ts';
import { updateNeed } from '../store/needs.ts';

/** The sponsor revises its need (a draft, or one returned for revision); a retried identical edit changes nothing. */
export const handler = api(needRoutes.updateNeed, async ({ params, headers, body }) => {
  const owned = await loadSponsorNeed(params.needId, headers);
  const competition = await requireCompetition(owned.competitionId);
  const at = now();
  assertFitsCompetition(body, competition, at);
  const content = normalizedContent(body);
  const { after } = await updateNeed(params.needId, (n) => {
    assertSponsorEditable(n);
    if (sameContent(n, content)) return undefined;
    return appendEvent(withContent(n, content), { at: at.toISOString(), by: 'SPONSOR', action: 'UPDATED' });
  });
  return { body: { need: ownerNeedView(after) } };
});
