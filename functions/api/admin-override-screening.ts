import { idempotentApi } from '../services/idempotency.ts';
import { now } from '../runtime/clock.ts';
import { organizerRoutes } from '../routes/organizer.ts';
import { notFound } from '../../shared/errors.ts';
import { assertOverridable } from '../../shared/entry.ts';
import { getEntryRecord, recordOverride } from '../store/entries.ts';
import { ownerView } from '../services/entry-access.ts';
import { applicantNoticePut } from '../services/notifications.ts';
import { requireCompetition } from '../store/competitions.ts';

export const handler = idempotentApi(organizerRoutes.adminOverrideScreening, async ({ params, body, principal }) => {
  const record = await getEntryRecord(params.entryId);
  if (!record) throw notFound('Entry');
  assertOverridable(record);
  const screening = record.screening!;
  // A retried request finds its own override already in place.
  if (screening.override && screening.override.outcome === body.outcome && screening.override.reason === body.reason) {
    return { body: { entry: ownerView(record) } };
  }
  const at = now().toISOString();
  const next = {
    ...record,
    status: body.outcome,
    screening: {
      ...screening,
      override: { outcome: body.outcome, reason: body.reason, by: principal, at, previousOutcome: record.status },
    },
    version: record.version + 1,
    updatedAt: at,
  };
  // The applicant is told in the same transaction: one message per override, whatever the retries.
  const competition = await requireCompetition(record.competitionId);
  const rounds = competition.rounds;
  const nextRound = rounds[rounds.findIndex((r) => r.roundId === screening.roundId) + 1]?.name;
  const notice = applicantNoticePut(
    competition,
    record,
    { kind: 'SCREENING_OVERRIDDEN', outcome: body.outcome, reason: body.reason, version: next.version, nextRound },
    new Date(at),
  );
  await recordOverride(record, next, notice ? [notice] : []);
  return { body: { entry: ownerView(next) } };
});
