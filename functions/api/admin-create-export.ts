import { ulid } from 'ulid';
import { type ExportJob, exportView } from '../../shared/exports.ts';
import { exportRoutes } from '../routes/exports.ts';
import { now } from '../runtime/clock.ts';
import { exportObjectKey } from '../services/csv-export.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { requireCompetition } from '../store/competitions.ts';
import { createExportJob } from '../store/exports.ts';

/** Records an export job (QUEUED); the table's stream hands it to the export worker. */
export const handler = idempotentApi(exportRoutes.adminCreateExport, async ({ params, body, principal }) => {
  await requireCompetition(params.competitionId);
  const at = now();
  const exportId = ulid(at.getTime());
  const iso = at.toISOString();
  const job: ExportJob = {
    exportId,
    competitionId: params.competitionId,
    request: body,
    status: 'QUEUED',
    key: exportObjectKey(exportId),
    rows: 0,
    createdAt: iso,
    updatedAt: iso,
    by: principal,
    version: 1,
  };
  await createExportJob(job);
  return { status: 202, body: { export: exportView(job) } };
});
