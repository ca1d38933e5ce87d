import * as z from 'zod';
import { createCompetitionBody, competitionConfig } from '../../shared/competition.ts';
import { ENTRY_STATUSES, organizerWithdrawalBody, screeningOverrideBody } from '../../shared/entry.ts';
import { slug } from '../../shared/ids.ts';
import { SUBMISSIONS } from '../function-spec.ts';
import { competitionParams, entryParams, page, type RouteSpec } from './spec.ts';

/** Routes of the route table (functions/routes.ts); a handler imports only its own group, so its bundle carries only its schemas. */
export const organizerRoutes = {
  adminCreateCompetition: {
    method: 'POST',
    path: '/admin/competitions',
    entry: 'functions/api/admin-create-competition.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 201,
    table: 'readWrite',
    summary: 'Create a competition (idempotent for an identical body)',
    body: createCompetitionBody,
  },
  adminUpdateCompetition: {
    method: 'PUT',
    path: '/admin/competitions/{competitionId}',
    entry: 'functions/api/admin-update-competition.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 200,
    table: 'readWrite',
    summary: 'Replace a competition configuration',
    params: competitionParams,
    body: competitionConfig,
  },
  adminGetCompetition: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}',
    entry: 'functions/api/admin-get-competition.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    summary: 'A competition in any status, with its version and full sponsor data',
    params: competitionParams,
  },
  adminListEntries: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/entries',
    entry: 'functions/api/admin-list-entries.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    summary: 'Entries of one track in one status',
    params: competitionParams,
    query: z.strictObject({ trackId: slug, status: z.enum(ENTRY_STATUSES), ...page }),
  },
  adminOverrideScreening: {
    method: 'POST',
    path: '/admin/entries/{entryId}/screening-override',
    entry: 'functions/api/admin-override-screening.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 200,
    table: 'readWrite',
    summary: 'Override an eligibility-screening outcome with a recorded reason',
    params: entryParams,
    body: screeningOverrideBody,
  },
  adminWithdrawEntry: {
    method: 'POST',
    path: '/admin/entries/{entryId}/withdrawal',
    entry: 'functions/api/admin-withdraw-entry.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 200,
    table: 'readWrite',
    deletes: [SUBMISSIONS],
    summary:
      'Withdraw or disqualify an entry with a recorded reason: it leaves every round and award, frees its organization’s slot, and goes on the audit record',
    params: entryParams,
    body: organizerWithdrawalBody,
  },
} as const satisfies Record<string, RouteSpec>;
