import { nextStatus } from '../../shared/needs.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { appendEvent, assertFitsCompetition, loadSponsorNeed, ownerNeedView } from '../services/needs.ts';
import { requireCompetition } from '../store/competitions.ts';
import { updateNeed } from '../store/needs.ts';

/** The sponsor asks for vetting; a need already submitted (or further) answers as it is. */
export const handler = api(needRoutes.submitNeed, async ({ params, headers }) => {
  const owned = await loadSponsorNeed(params.needId, headers);
  const at = now();
  // The competition may have changed since the draft (its fields, its intake deadline).
  assertFitsCompetition(owned, await requireCompetition(owned.competitionId), at);
  const { after } = await updateNeed(params.needId, (n) => {
    if (n.status === 'SUBMITTED') return undefined;
    const iso = at.toISOString();
    return {
      ...appendEvent(n, { at: iso, by: 'SPONSOR', action: 'SUBMITTED' }, nextStatus(n.status, 'SUBMITTED')),
      submittedAt: iso,
    };
  });
  return { body: { need: ownerNeedView(after) } };
});
