import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { entryRoutes } from '../routes/entries.ts';
import { saveEntry } from '../store/entries.ts';
import { loadOwnedEntry, ownerView } from '../services/entry-access.ts';
import { recordMetric } from '../runtime/metrics.ts';

export const handler = api(entryRoutes.withdrawEntry, async ({ params, headers }) => {
  const record = await loadOwnedEntry(params.entryId, headers);
  if (record.status === 'WITHDRAWN') return { body: { entry: ownerView(record) } }; // idempotent
  const iso = now().toISOString();
  const next = {
    ...record,
    status: 'WITHDRAWN' as const,
    withdrawnAt: iso,
    updatedAt: iso,
    version: record.version + 1,
  };
  // The limit only matters when a slot is taken; a withdrawal only frees one.
  await saveEntry(record, next, Number.MAX_SAFE_INTEGER);
  recordMetric('EntriesWithdrawn', { competitionId: record.competitionId, trackId: record.trackId });
  return { body: { entry: ownerView(next) } };
});
