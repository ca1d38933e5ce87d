import { intakeRoundOf } from '../../shared/competition.ts';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { entryRoutes } from '../routes/entries.ts';
import { conflict } from '../../shared/errors.ts';
import { assertIntakeOpen, assertSubmittable } from '../../shared/entry.ts';
import { requireCompetition } from '../store/competitions.ts';
import { saveEntry } from '../store/entries.ts';
import { loadOwnedEntry, ownerView } from '../services/entry-access.ts';
import { recordMetric } from '../runtime/metrics.ts';
import { applicantNoticePut } from '../services/notifications.ts';

export const handler = api(entryRoutes.submitEntry, async ({ params, headers }) => {
  const record = await loadOwnedEntry(params.entryId, headers);
  if (record.status === 'WITHDRAWN') throw conflict('ENTRY_WITHDRAWN', 'A withdrawn entry cannot be submitted');
  if (record.status !== 'DRAFT') return { body: { entry: ownerView(record) } }; // already submitted: idempotent

  const competition = await requireCompetition(record.competitionId);
  const at = now();
  assertIntakeOpen(competition, at);
  assertSubmittable(record, competition, record.trackId);
  const iso = at.toISOString();
  const next = {
    ...record,
    status: 'SUBMITTED' as const,
    submittedAt: iso,
    updatedAt: iso,
    version: record.version + 1,
  };
  const maxActive = competition.entryPolicy.maxActiveEntriesPerOrganizationPerTrack;
  const notice = applicantNoticePut(competition, next, { kind: 'ENTRY_SUBMITTED' }, at);
  await saveEntry(record, next, maxActive, 'applicant', intakeRoundOf(competition).roundId, notice);
  recordMetric('EntriesSubmitted', { competitionId: record.competitionId, trackId: record.trackId });
  return { body: { entry: ownerView(next) } };
});
