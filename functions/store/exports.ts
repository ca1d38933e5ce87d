import type { ExportJob, ExportStatus } from '../../shared/exports.ts';
import { exportJobKey } from './keys.ts';
import { setIfStatus } from './status-update.ts';
import { createOnce, getVersioned } from './versioned.ts';

/**
 * CSV export jobs. Inserting one starts the export (the table's stream hands new EXPORT# items to
 * the export worker); the worker moves it QUEUED → RUNNING → DONE or FAILED and counts rows as it goes.
 */
export const createExportJob = async (job: ExportJob): Promise<void> => {
  await createOnce(exportJobKey(job.exportId), job);
};

export const getExportJob = (id: string) => getVersioned<ExportJob>(exportJobKey(id));

/** Sets fields of a job still in one of `from`; false when it is not (finished by another run). */
export const updateExportJob = (exportId: string, from: ExportStatus[], set: Partial<ExportJob>, at: string) =>
  setIfStatus(exportJobKey(exportId), from, set, at);
