import { notFound } from '../../shared/errors.ts';
import { importView } from '../../shared/imports.ts';
import { importRoutes } from '../routes/imports.ts';
import { api } from '../runtime/http.ts';
import { getImportJob } from '../store/imports.ts';

export const handler = api(importRoutes.adminGetImport, async ({ params }) => {
  const job = await getImportJob(params.importId);
  if (!job) throw notFound('Import');
  return { body: { import: importView(job) } };
});
