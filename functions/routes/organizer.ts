import * as z from 'zod';
import { createCompetitionBody, competitionConfig } from '../../shared/competition.ts';
import { ENTRY_STATUSES, screeningOverrideBody } from '../../shared/entry.ts';
import { slug } from '../../shared/ids.ts';
import { competitionParams, entryParams, page, roundParams, type RouteSpec } from './spec.ts';

/** Routes of the route table (functions/routes.ts); a handler imports only its own group, so its bundle carries only its schemas. */
export const organizerRoutes = {
  adminCreateCompetition: {
    method: 'POST', path: '/admin/competitions', entry: 'functions/api/admin-create-competition.ts', auth: 'admin', okStatus: 201, table: 'readWrite',
    summary: 'Create a competition (idempotent for an identical body)',
    body: createCompetitionBody,
  },
  adminUpdateCompetition: {
    method: 'PUT', path: '/admin/competitions/{competitionId}', entry: 'functions/api/admin-update-competition.ts', auth: 'admin', okStatus: 200, table: 'readWrite',
    summary: 'Replace a competition configuration',
    params: competitionParams,
    body: competitionConfig,
  },
  adminGetCompetition: {
    method: 'GET', path: '/admin/competitions/{competitionId}', entry: 'functions/api/admin-get-competition.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'A competition in any status, with its version and full sponsor data',
    params: competitionParams,
  },
  adminListEntries: {
    method: 'GET', path: '/admin/competitions/{competitionId}/entries', entry: 'functions/api/admin-list-entries.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Entries of one track in one status',
    params: competitionParams,
    query: z.strictObject({ trackId: slug, status: z.enum(ENTRY_STATUSES), ...page }),
  },
  adminStartRound: {
    method: 'POST', path: '/admin/competitions/{competitionId}/rounds/{roundId}/start', entry: 'functions/api/admin-start-round.ts', auth: 'admin', okStatus: 202, table: 'read',
    summary: 'Start the round workflow (idempotent: the execution name is derived from competition and round)',
    params: roundParams,
    startsIntake: true,
  },
  adminGetRound: {
    method: 'GET', path: '/admin/competitions/{competitionId}/rounds/{roundId}', entry: 'functions/api/admin-get-round.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Round progress and results: screening counts per track (intake); reviews expected/received and the decisions with their explanation (review rounds)',
    params: roundParams,
  },
  adminOverrideScreening: {
    method: 'POST', path: '/admin/entries/{entryId}/screening-override', entry: 'functions/api/admin-override-screening.ts', auth: 'admin', okStatus: 200, table: 'readWrite',
    summary: 'Override an eligibility-screening outcome with a recorded reason',
    params: entryParams,
    body: screeningOverrideBody,
  },
  adminGetOutbox: {
    method: 'GET', path: '/admin/competitions/{competitionId}/rounds/{roundId}/outbox', entry: 'functions/api/admin-get-outbox.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Messages queued for the experts of a review round, with their signed review links',
    params: roundParams,
  },
  adminPreviewAssignment: {
    method: 'GET', path: '/admin/competitions/{competitionId}/rounds/{roundId}/assignment-preview', entry: 'functions/api/admin-preview-assignment.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Dry run of a review round’s reviewer assignment: eligible entries × expert pool, conflicts avoided, exact and certified; nothing is stored',
    params: roundParams,
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
} as const satisfies Record<string, RouteSpec>;
