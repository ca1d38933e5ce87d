import * as z from 'zod';
import { expertImportBody } from '../../shared/review/experts.ts';
import { page, type RouteSpec } from './spec.ts';

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
    summary: 'Import experts into the pool (JSON); idempotent: matched by e-mail, unchanged rows are not rewritten',
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
    summary:
      'Import experts from CSV (header: email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants; lists separated by ;)',
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
    summary: 'The expert pool, by e-mail',
    query: z.strictObject(page),
  },
} as const satisfies Record<string, RouteSpec>;
