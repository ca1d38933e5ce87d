import { notFound } from '../../shared/errors.ts';
import { exportContentType, exportFileName, exportView } from '../../shared/exports.ts';
import { exportRoutes } from '../routes/exports.ts';
import { now } from '../runtime/clock.ts';
import { api } from '../runtime/http.ts';
import { DOWNLOAD_SECONDS, downloadUrl } from '../services/document-storage.ts';
import { getExportJob } from '../store/exports.ts';

/** An export's progress; once DONE, a five-minute presigned GET of the file. */
export const handler = api(exportRoutes.adminGetExport, async ({ params }) => {
  const job = await getExportJob(params.exportId);
  if (!job) throw notFound('Export');
  if (job.status !== 'DONE') return { body: { export: exportView(job) } };
  const url = await downloadUrl({
    key: job.key,
    fileName: exportFileName(job),
    contentType: exportContentType(job.request),
  });
  const expiresAt = new Date(now().getTime() + DOWNLOAD_SECONDS * 1000).toISOString();
  return { body: { export: exportView(job), download: { url, expiresAt } } };
});
