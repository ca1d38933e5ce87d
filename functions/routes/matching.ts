import * as z from 'zod';
import {
  correctDealBody,
  dealIdSchema,
  meetingIdSchema,
  meetingOutcomeBody,
  meetingProposalBody,
  meetingResponseBody,
  recordDealBody,
} from '../../shared/matching.ts';
import { needIdSchema } from '../../shared/needs.ts';
import { competitionParams, documentId, entryParams, pageOf, type RouteSpec } from './spec.ts';

const entryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id');
const needParams = z.strictObject({ needId: needIdSchema });
const answerParams = z.strictObject({ needId: needIdSchema, entryId });
const sponsorMeetingParams = z.strictObject({ needId: needIdSchema, entryId, meetingId: meetingIdSchema });
const solverMeetingParams = z.strictObject({ entryId, meetingId: meetingIdSchema });
const dealParams = z.strictObject({ needId: needIdSchema, dealId: dealIdSchema });

/**
 * 对接 and 签约: the sponsor (its need token) meets the solvers it shortlisted, the solver (its entry token)
 * answers the invitations, and the sponsor or the organizer records the deals; the organizer reads the
 * figures the center publishes.
 */
export const matchingRoutes = {
  getAnswerDocument: {
    method: 'GET',
    path: '/needs/{needId}/answers/{entryId}/documents/{documentId}',
    entry: 'functions/api/answer-document.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['need', 'entry'],
    documents: 'read',
    summary:
      'The sponsor opens a document of an answer to its need (a clean original, as the answers list shows it): the opening is recorded, and the answer is 303 to a presigned GET valid for five minutes',
    params: z.strictObject({ needId: needIdSchema, entryId, documentId }),
  },
  proposeMeeting: {
    method: 'POST',
    path: '/needs/{needId}/answers/{entryId}/meetings',
    entry: 'functions/api/propose-meeting.ts',
    idempotent: true,
    auth: 'applicant',
    okStatus: 201,
    table: 'readWrite',
    partitions: ['need'],
    summary:
      'The sponsor proposes a matchmaking meeting (对接) to the solver of a shortlisted answer: time, duration, format, place or link, attendees; honours Idempotency-Key',
    params: answerParams,
    body: meetingProposalBody,
  },
  listNeedMeetings: {
    method: 'GET',
    path: '/needs/{needId}/meetings',
    entry: 'functions/api/list-need-meetings.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'read',
    partitions: ['need'],
    summary: "The sponsor's meetings for its need, grouped by answer; at most 50 a page",
    params: needParams,
    query: z.strictObject(pageOf(50, 25)),
  },
  meetingOutcome: {
    method: 'POST',
    path: '/needs/{needId}/answers/{entryId}/meetings/{meetingId}/outcome',
    entry: 'functions/api/meeting-outcome.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['need', 'audit'],
    summary:
      'The sponsor records how a meeting went (HELD, NOT_HELD with notes) or cancels it (CANCELLED with notes); repeating it changes nothing',
    params: sponsorMeetingParams,
    body: meetingOutcomeBody,
  },
  listEntryMeetings: {
    method: 'GET',
    path: '/entries/{entryId}/meetings',
    entry: 'functions/api/list-entry-meetings.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'read',
    partitions: ['entry', 'need'],
    summary:
      'The solver sees the meetings proposed to its entry (the answer to a need), with the sponsor’s contact once it accepted one',
    params: entryParams,
  },
  respondToMeeting: {
    method: 'POST',
    path: '/entries/{entryId}/meetings/{meetingId}/response',
    entry: 'functions/api/respond-meeting.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['entry', 'need', 'audit'],
    summary: 'The solver accepts a proposed meeting or declines it with a reason; repeating it changes nothing',
    params: solverMeetingParams,
    body: meetingResponseBody,
  },
  recordDeal: {
    method: 'POST',
    path: '/needs/{needId}/deals',
    entry: 'functions/api/record-deal.ts',
    idempotent: true,
    auth: 'applicant',
    okStatus: 201,
    table: 'readWrite',
    partitions: ['need'],
    summary:
      'The sponsor records a signed contract (签约) with a solver that answered its need: type, amount, signing date, where it lands (落地); honours Idempotency-Key',
    params: needParams,
    body: recordDealBody,
  },
  correctDeal: {
    method: 'POST',
    path: '/needs/{needId}/deals/{dealId}/corrections',
    entry: 'functions/api/correct-deal.ts',
    auth: 'applicant',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['need', 'audit'],
    summary:
      'The sponsor corrects a deal’s terms or marks it WITHDRAWN / FAILED (or SIGNED again), with a reason; the earlier terms stay in its history',
    params: dealParams,
    body: correctDealBody,
  },
  adminRecordDeal: {
    method: 'POST',
    path: '/admin/needs/{needId}/deals',
    entry: 'functions/api/admin-record-deal.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 201,
    table: 'readWrite',
    partitions: ['need'],
    summary:
      'The organizer records a signed contract for a need and a solver that answered it; honours Idempotency-Key',
    params: needParams,
    body: recordDealBody,
  },
  adminCorrectDeal: {
    method: 'POST',
    path: '/admin/needs/{needId}/deals/{dealId}/corrections',
    entry: 'functions/api/admin-correct-deal.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['need', 'audit'],
    summary:
      'The organizer corrects a deal or changes its status, with a reason (kept in its history with who and when)',
    params: dealParams,
    body: correctDealBody,
  },
  adminListDeals: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/needs/deals',
    entry: 'functions/api/admin-list-deals.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: [],
    indexes: ['list'],
    summary: "The competition's deals in every status, most recently recorded first; at most 100 a page",
    params: competitionParams,
    query: z.strictObject(pageOf(100, 50)),
  },
  adminNeedStatistics: {
    method: 'GET',
    path: '/admin/competitions/{competitionId}/needs/statistics',
    entry: 'functions/api/admin-need-statistics.ts',
    auth: 'admin',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'entry'],
    indexes: ['list'],
    timeoutSeconds: 29,
    summary:
      'The figures the center publishes: needs collected / published / answered / matched / signed, intended investment, answers, answering organizations (cross-region, from abroad), meetings held, deals and contract amount — in total, by field and by sponsor region; format=csv for a spreadsheet',
    params: competitionParams,
    query: z.strictObject({ format: z.enum(['json', 'csv']).default('json') }),
  },
} as const satisfies Record<string, RouteSpec>;
