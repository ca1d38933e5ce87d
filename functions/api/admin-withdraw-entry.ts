import { conflict, notFound } from '../../shared/errors.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { now } from '../runtime/clock.ts';
import { ownerView } from '../services/entry-access.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { getEntryRecord, saveEntry } from '../store/entries.ts';
import { recordMetric } from '../runtime/metrics.ts';

/**
 * An organizer withdraws or disqualifies an entry (a named organization's slot
 * taken by someone else, a rule broken): status WITHDRAWN with who, when and
 * why, its organization's slot freed, the change on the audit record. The
 * entry then leaves every later round and the award proposal.
 */
export const handler = idempotentApi(organizerRoutes.adminWithdrawEntry, async ({ params, body, principal }) => {
  const record = await getEntryRecord(params.entryId);
  if (!record) throw notFound('Entry');
  if (record.status === 'WITHDRAWN') {
    if (record.withdrawal?.kind === body.kind && record.withdrawal.reason === body.reason) {
      return { body: { entry: ownerView(record) } };
    }
    throw conflict('ENTRY_WITHDRAWN', 'The entry has already been withdrawn', {
      withdrawal: record.withdrawal ?? null,
    });
  }
  const at = now().toISOString();
  const next = {
    ...record,
    status: 'WITHDRAWN' as const,
    withdrawnAt: at,
    withdrawal: { kind: body.kind, reason: body.reason, by: principal, at },
    updatedAt: at,
    version: record.version + 1,
  };
  // A withdrawal only frees a slot: no limit applies.
  await saveEntry(record, next, Number.MAX_SAFE_INTEGER, principal);
  recordMetric('EntriesWithdrawn', { competitionId: record.competitionId, trackId: record.trackId });
  return { body: { entry: ownerView(next) } };
});
