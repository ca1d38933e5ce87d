import * as z from 'zod';
import { now } from '../runtime/clock.ts';
import { logger } from '../runtime/logger.ts';
import { task } from '../runtime/task.ts';
import { parseImportObjectKey, runImport } from '../services/bulk-import.ts';

/** S3's "Object Created" event as EventBridge delivers it (only the fields used). */
const objectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  detail: z.object({
    object: z.object({ key: z.string(), 'version-id': z.string().optional() }),
  }),
});

/**
 * An import file arrived: validate it all-or-nothing and apply it in chunks (`runImport`). A
 * redelivered event — or a retry after a timeout — continues from the job's progress.
 */
export const handler = task(objectCreated, async ({ detail }) => {
  const importId = parseImportObjectKey(detail.object.key);
  if (!importId) {
    logger.info('not an import file; ignored', { key: detail.object.key });
    return { status: 'IGNORED' };
  }
  const job = await runImport(importId, detail.object['version-id'], now);
  return { status: job?.status ?? 'UNKNOWN', rows: job?.rows ?? 0 };
});
