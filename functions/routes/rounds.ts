import * as z from 'zod';
import { competitionParams, page, pageOf, roundParams, type RouteSpec } from './spec.ts';

/**
 * Organizer routes about a competition's rounds, in their own group: their
 * handlers do not carry the competition configuration schema (the bundle of the
 * assignment preview, which carries the solver, stays small).
 */
export const roundRoutes = {
  adminRenewExpertLink: {
    method: 'POST',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/expert-links',
    entry: 'functions/api/admin-renew-expert-link.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 202,
    table: 'readWrite',
    partitions: ['competition', 'assignment', 'expert', 'outbox'],
    summary:
      'Mail an expert a new link to their home in the round: every older link of theirs — the home’s and the review links it listed — stops working (a lost or forwarded link); 409 once the round has closed; honours Idempotency-Key',
    params: roundParams,
    body: z.strictObject({
      expertEmail: z
        .email()
        .max(254)
        .transform((e) => e.toLowerCase()),
    }),
  },
  adminStartRound: {
    method: 'POST',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/start',
    entry: 'functions/api/admin-start-round.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 202,
    table: 'read',
    partitions: ['competition'],
    summary: 'Start the round workflow (idempotent: the execution name is derived from competition and round)',
    params: roundParams,
    starts: ['intake', 'review'],
    redrives: true,
  },
  adminGetRound: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}',
    entry: 'functions/api/admin-get-round.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition'],
    summary:
      'Round progress and results: screening counts per track (intake); reviews expected/received, the tally summary and the first page of decisions (review rounds; the rest through …/decisions)',
    params: roundParams,
  },
  adminListDecisions: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/decisions',
    entry: 'functions/api/admin-list-decisions.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition'],
    summary:
      'A tallied round’s decisions with their explanation, a page at a time (at most 100; entry-id order, each with its overall and track rank)',
    params: roundParams,
    query: z.strictObject(page),
  },
  adminGetOutbox: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/outbox',
    entry: 'functions/api/admin-get-outbox.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'outbox'],
    summary:
      'Messages queued for a round (or the awards / hand-off), a page at a time (at most 50): recipients, what each link is for, delivery state',
    params: roundParams,
    query: z.strictObject(pageOf(50)),
  },
  adminGetAssignmentReport: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/assignment-report',
    entry: 'functions/api/admin-get-assignment-report.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition'],
    summary:
      'The full assignment report of a review round (affinities, load histogram, every entry with only weak reviewers, every shortfall, the optimality certificate); the round route carries a summary',
    params: roundParams,
  },
  adminPreviewAssignment: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/assignment-preview',
    entry: 'functions/api/admin-preview-assignment.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'entry', 'need'],
    indexes: ['list'],
    summary:
      'Dry run of a review round’s reviewer assignment: eligible entries × expert pool, conflicts avoided, exact and certified; nothing is stored. Up to 2,000,000 entry × expert pairs (409 PREVIEW_TOO_LARGE_FOR_A_REQUEST above: ask for the ASSIGNMENT_PREVIEW export)',
    params: roundParams,
    // The HTTP API answers within 30 s: rounds that fit a request solve in a few seconds.
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
  adminVerifyAudit: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/audit',
    entry: 'functions/api/admin-verify-audit.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'audit'],
    summary:
      'Walks the competition’s hash-chained audit record and names the first record that was changed, removed or reordered',
    params: competitionParams,
    timeoutSeconds: 60,
  },
  adminReplayRound: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/rounds/{roundId}/replay',
    entry: 'functions/api/admin-replay-round.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'audit'],
    indexes: ['list'],
    summary:
      'Recomputes a tallied round’s decisions from the audit record alone and reports any difference from what the tally recorded and stored',
    params: roundParams,
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
} as const satisfies Record<string, RouteSpec>;
