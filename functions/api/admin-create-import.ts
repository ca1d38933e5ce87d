import { ulid } from 'ulid';
import { MAX_IMPORT_BYTES, importView, type ImportJob } from '../../shared/imports.ts';
import { importRoutes } from '../routes/imports.ts';
import { now } from '../runtime/clock.ts';
import { importObjectKey } from '../services/bulk-import.ts';
import { uploadForm } from '../services/document-storage.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { requireCompetition } from '../store/competitions.ts';
import { createImportJob } from '../store/imports.ts';

/**
 * A bulk import: the job is recorded as AWAITING_UPLOAD and the organizer gets a presigned POST for
 * its file (S3 refuses another key, another content type or more than 20 MB). The file's arrival
 * starts the validation; `GET /admin/imports/{importId}` follows it.
 */
export const handler = idempotentApi(importRoutes.adminCreateImport, async ({ body, principal }) => {
  // A needs import is for an existing competition (404 otherwise, before anything is stored).
  if (body.competitionId) await requireCompetition(body.competitionId);
  const at = now();
  const importId = ulid(at.getTime());
  const iso = at.toISOString();
  const job: ImportJob = {
    importId,
    kind: body.kind,
    contentType: body.contentType,
    ...(body.fileName ? { fileName: body.fileName } : {}),
    ...(body.competitionId ? { competitionId: body.competitionId } : {}),
    ...(body.publish ? { publish: true } : {}),
    status: 'AWAITING_UPLOAD',
    key: importObjectKey(importId),
    createdAt: iso,
    updatedAt: iso,
    by: principal,
    appliedRows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    version: 1,
  };
  await createImportJob(job);
  const upload = await uploadForm(job, MAX_IMPORT_BYTES, at.getTime());
  return { status: 201, body: { import: importView(job), upload } };
});
