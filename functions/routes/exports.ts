import * as z from 'zod';
import { exportRequest } from '../../shared/exports.ts';
import { competitionParams, type RouteSpec } from './spec.ts';

/** CSV exports produced to S3 (routes of the route table). */
export const exportRoutes = {
  adminCreateExport: {
    method: 'POST',
    path: '/admin/competitions/{competitionId}/exports',
    entry: 'functions/api/admin-create-export.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 202,
    table: 'readWrite',
    partitions: ['competition', 'exportJob', 'audit'],
    summary:
      'Export a CSV of any size — a round’s decisions (DECISIONS_CSV), every entry (ENTRIES_CSV), the final ranking (RANKING_CSV) — or a review round’s assignment dry run of any size (ASSIGNMENT_PREVIEW, JSON): produced to S3 by a worker; follow it with GET /admin/exports/{exportId}',
    params: competitionParams,
    body: exportRequest,
  },
  adminGetExport: {
    method: 'GET',
    path: '/admin/exports/{exportId}',
    entry: 'functions/api/admin-get-export.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['exportJob'],
    exports: 'read',
    summary:
      'An export’s progress (QUEUED, RUNNING with the rows so far, DONE, FAILED with the reason); once DONE, a download link valid for five minutes',
    params: z.strictObject({ exportId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an export id') }),
  },
} as const satisfies Record<string, RouteSpec>;
