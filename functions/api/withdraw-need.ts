import { nextStatus } from '../../shared/needs.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { appendEvent, loadSponsorNeed, ownerNeedView } from '../services/needs.ts';
import { updateNeed } from '../store/needs.ts';

/** The sponsor withdraws its need: it leaves the catalogue; withdrawing again answers as it is. */
export const handler = api(needRoutes.withdrawNeed, async ({ params, headers }) => {
  await loadSponsorNeed(params.needId, headers);
  const at = now();
  const { after } = await updateNeed(params.needId, (n) => {
    if (n.status === 'WITHDRAWN') return undefined;
    return appendEvent(
      n,
      { at: at.toISOString(), by: 'SPONSOR', action: 'WITHDRAWN' },
      nextStatus(n.status, 'WITHDRAWN'),
    );
  });
  return { body: { need: ownerNeedView(after) } };
});
