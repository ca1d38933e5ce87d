import * as z from 'zod';
import { createImportBody } from '../../shared/imports.ts';
import type { RouteSpec } from './spec.ts';

const importParams = z.strictObject({
  importId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an import id'),
});

/** Bulk imports through S3 (routes of the route table). */
export const importRoutes = {
  adminCreateImport: {
    method: 'POST',
    path: '/admin/imports',
    entry: 'functions/api/admin-create-import.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 201,
    table: 'readWrite',
    partitions: ['importJob', 'audit', 'competition'],
    imports: 'upload',
    summary:
      'Start a bulk import (experts: CSV or JSON, up to 20,000 rows; a competition’s needs: CSV, up to 5,000 rows; 20 MB): answers the job (AWAITING_UPLOAD) and an S3 presigned POST for its file; the file is validated all-or-nothing and applied asynchronously',
    body: createImportBody,
  },
  adminGetImport: {
    method: 'GET',
    path: '/admin/imports/{importId}',
    entry: 'functions/api/admin-get-import.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['importJob'],
    summary:
      'A bulk import’s status: AWAITING_UPLOAD, VALIDATING, REJECTED (with the first 100 issues by row and column, and their count), APPLYING (rows applied so far), DONE (created / updated / unchanged)',
    params: importParams,
  },
} as const satisfies Record<string, RouteSpec>;
