import * as z from 'zod';
import { expertImportBody } from '../../shared/review/experts.ts';
import { page, type RouteSpec } from './spec.ts';

/** 2,000 experts with long conflict lists fit; the request stays far under Lambda's 6 MB. */
const SYNC_IMPORT_BYTES = 2 * 1024 * 1024;

/** Routes of the route table (functions/routes.ts); a handler imports only its own group, so its bundle carries only its schemas. */
export const expertRoutes = {
  adminImportExperts: {
    method: 'POST',
    path: '/admin/experts',
    entry: 'functions/api/admin-import-experts.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['expert'],
    summary:
      'Import up to 2,000 experts into the pool (JSON, up to 2 MB; larger pools through POST /admin/imports); idempotent: matched by e-mail, unchanged rows are not rewritten',
    maxBodyBytes: SYNC_IMPORT_BYTES,
    // 2,000 conditional writes: up to the API's 30 s rather than the default 15 s.
    timeoutSeconds: 29,
    body: expertImportBody,
  },
  adminImportExpertsCsv: {
    method: 'POST',
    path: '/admin/experts/csv',
    entry: 'functions/api/admin-import-experts-csv.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['expert'],
    summary:
      'Import up to 2,000 experts from CSV, up to 2 MB (header: email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants; lists separated by ;)',
    maxBodyBytes: SYNC_IMPORT_BYTES,
    // 2,000 conditional writes: up to the API's 30 s rather than the default 15 s.
    timeoutSeconds: 29,
    body: z.string().min(1),
    bodyFormat: 'csv',
  },
  adminListExperts: {
    method: 'GET',
    path: '/admin/experts',
    entry: 'functions/api/admin-list-experts.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: [],
    indexes: ['list'],
    summary: 'The expert pool, by e-mail',
    query: z.strictObject(page),
  },
} as const satisfies Record<string, RouteSpec>;
