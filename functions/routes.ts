import * as z from 'zod';
import { createCompetitionBody, competitionConfig, roundSlug, slug } from '../shared/competition.ts';
import { createEntryBody, entryContent, ENTRY_STATUSES, screeningOverrideBody } from '../shared/entry.ts';
import { expertImportBody } from '../shared/review/experts.ts';
import { reviewFormBody } from '../shared/review/review-form.ts';

/**
 * The one route table. The CDK stack builds the HttpApi from it, the local HTTP
 * server serves it, the OpenAPI document is generated from it, and each handler
 * takes its request schemas from its own row.
 */
export type Auth = 'public' | 'applicant' | 'admin' | 'link';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** Handler module (exports `handler`), relative to the repository root. */
  entry: string;
  /** public: anyone; applicant: bearer entry token checked by the handler; admin: IAM in AWS, admin key locally; link: a signed link in the path. */
  auth: Auth;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** How the body is sent: JSON (default), CSV text (`text/csv`) or an HTML form, then checked by `body`. */
  bodyFormat?: 'json' | 'csv' | 'form';
  /** Needs the link signing key (Secrets Manager). */
  signsLinks?: boolean;
  /** Status of a successful response. */
  okStatus: 200 | 201 | 202;
  /** Least privilege: what the function may do with the table. */
  table: 'read' | 'readWrite';
  /** May start executions of the intake state machine. */
  startsIntake?: boolean;
  /** For heavier routes (default 15 s / 512 MB). */
  timeoutSeconds?: number;
  memoryMb?: number;
}

const competitionParams = z.strictObject({ competitionId: slug });
const entryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id');
const entryParams = z.strictObject({ entryId });
const roundParams = z.strictObject({ competitionId: slug, roundId: roundSlug });
const page = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2000).optional(),
};

export const routes = {
  getOpenApi: {
    method: 'GET', path: '/openapi.json', entry: 'functions/api/get-openapi.ts', auth: 'public', okStatus: 200, table: 'read',
    summary: 'This API as an OpenAPI 3.1 document',
  },
  listCompetitions: {
    method: 'GET', path: '/competitions', entry: 'functions/api/list-competitions.ts', auth: 'public', okStatus: 200, table: 'read',
    summary: 'Published competitions, newest first',
    query: z.strictObject(page),
  },
  getCompetition: {
    method: 'GET', path: '/competitions/{competitionId}', entry: 'functions/api/get-competition.ts', auth: 'public', okStatus: 200, table: 'read',
    summary: 'One published competition: tracks, rounds, rubric, eligibility rules',
    params: competitionParams,
  },
  createEntry: {
    method: 'POST', path: '/competitions/{competitionId}/entries', entry: 'functions/api/create-entry.ts', auth: 'public', okStatus: 201, table: 'readWrite',
    summary: 'Create an entry (draft, or submitted with submit=true); honours Idempotency-Key; returns the entry id and the applicant access token',
    params: competitionParams,
    body: createEntryBody,
  },
  getEntry: {
    method: 'GET', path: '/entries/{entryId}', entry: 'functions/api/get-entry.ts', auth: 'applicant', okStatus: 200, table: 'read',
    summary: "The applicant's own entry, with its status and screening result",
    params: entryParams,
  },
  updateEntry: {
    method: 'PUT', path: '/entries/{entryId}', entry: 'functions/api/update-entry.ts', auth: 'applicant', okStatus: 200, table: 'readWrite',
    summary: 'Replace the content of a draft or submitted entry before the deadline',
    params: entryParams,
    body: entryContent,
  },
  submitEntry: {
    method: 'POST', path: '/entries/{entryId}/submit', entry: 'functions/api/submit-entry.ts', auth: 'applicant', okStatus: 200, table: 'readWrite',
    summary: 'Submit a draft before the deadline (idempotent)',
    params: entryParams,
  },
  withdrawEntry: {
    method: 'POST', path: '/entries/{entryId}/withdraw', entry: 'functions/api/withdraw-entry.ts', auth: 'applicant', okStatus: 200, table: 'readWrite',
    summary: 'Withdraw an entry (idempotent); frees the organization’s slot in the track',
    params: entryParams,
  },
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
    summary: 'Round progress and results (screening counts per track)',
    params: roundParams,
  },
  adminOverrideScreening: {
    method: 'POST', path: '/admin/entries/{entryId}/screening-override', entry: 'functions/api/admin-override-screening.ts', auth: 'admin', okStatus: 200, table: 'readWrite',
    summary: 'Override an eligibility-screening outcome with a recorded reason',
    params: entryParams,
    body: screeningOverrideBody,
  },
  adminPreviewAssignment: {
    method: 'GET', path: '/admin/competitions/{competitionId}/rounds/{roundId}/assignment-preview', entry: 'functions/api/admin-preview-assignment.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'Dry run of a review round’s reviewer assignment: eligible entries × expert pool, conflicts avoided, exact and certified; nothing is stored',
    params: roundParams,
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
  getReviewPage: {
    method: 'GET', path: '/review/{token}', entry: 'functions/api/review-page.ts', auth: 'link', okStatus: 200, table: 'read', signsLinks: true,
    summary: 'The reviewer page for the one assignment a signed link names (HTML; changes nothing, so mail scanners may prefetch it)',
    params: z.strictObject({ token: z.string().min(1).max(2048) }),
    query: z.strictObject({ lang: z.enum(['zh', 'en']).optional(), saved: z.enum(['saved', 'submitted', 'declined']).optional() }),
  },
  postReview: {
    method: 'POST', path: '/review/{token}', entry: 'functions/api/review-submit.ts', auth: 'link', okStatus: 200, table: 'readWrite', signsLinks: true,
    summary: 'Save a draft, submit (or change) the review, or declare a conflict — an HTML form post; answers with a redirect to the page',
    params: z.strictObject({ token: z.string().min(1).max(2048) }),
    body: reviewFormBody,
    bodyFormat: 'form',
  },
  adminImportExperts: {
    method: 'POST', path: '/admin/experts', entry: 'functions/api/admin-import-experts.ts', auth: 'admin', okStatus: 200, table: 'readWrite',
    summary: 'Import experts into the pool (JSON); idempotent: matched by e-mail, unchanged rows are not rewritten',
    body: expertImportBody,
  },
  adminImportExpertsCsv: {
    method: 'POST', path: '/admin/experts/csv', entry: 'functions/api/admin-import-experts-csv.ts', auth: 'admin', okStatus: 200, table: 'readWrite',
    summary: 'Import experts from CSV (header: email,name,institution,fields,keywords,languages,maxLoadPerRound,conflictOrganizations,conflictApplicants; lists separated by ;)',
    body: z.string().min(1),
    bodyFormat: 'csv',
  },
  adminListExperts: {
    method: 'GET', path: '/admin/experts', entry: 'functions/api/admin-list-experts.ts', auth: 'admin', okStatus: 200, table: 'read',
    summary: 'The expert pool, by e-mail',
    query: z.strictObject(page),
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routes;
export const routeList = (): Array<RouteSpec & { id: RouteId }> =>
  (Object.entries(routes) as Array<[RouteId, RouteSpec]>).map(([id, r]) => ({ id, ...r }));

/** Bodies above this are refused with 413 before parsing (API Gateway's own cap is 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;
