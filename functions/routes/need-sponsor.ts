import * as z from 'zod';
import { needIdSchema } from '../../shared/needs.ts';
import { documentId, type RouteSpec } from './spec.ts';

const tokenParams = z.strictObject({ token: z.string().min(1).max(2048) });
const entryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id');

/**
 * A need's sponsor's signed link (揭榜): mailed to the contact of every need imported from CSV (those
 * companies never got a token) and whenever the organizer sends a new one (older links then stop).
 */
export const needSponsorRoutes = {
  getNeedSponsorPage: {
    method: 'GET',
    path: '/need-sponsor/{token}',
    entry: 'functions/api/need-sponsor-page.ts',
    auth: 'link',
    okStatus: 200,
    table: 'read',
    partitions: ['competition', 'need', 'entry'],
    signsLinks: true,
    summary:
      'The sponsor’s page for its need (HTML): status, the answers with what each solver proposes and its documents, a shortlist / decline form per answer; 25 answers a page',
    params: tokenParams,
    query: z.strictObject({
      lang: z.enum(['zh', 'en']).optional(),
      saved: z.enum(['1']).optional(),
      cursor: z.string().max(2000).optional(),
    }),
  },
  postNeedSponsorDecision: {
    method: 'POST',
    path: '/need-sponsor/{token}',
    entry: 'functions/api/need-sponsor-decision.ts',
    auth: 'link',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['competition', 'need', 'audit'],
    signsLinks: true,
    summary:
      'The sponsor shortlists an answer, declines it with a reason, proposes a meeting (对接) to a shortlisted answer or records how one went — a form post answered with a redirect to the page; a meeting form sent twice proposes one meeting',
    params: tokenParams,
    body: z.strictObject({
      entryId,
      action: z.enum(['shortlist', 'decline', 'meeting', 'outcome']),
      reason: z.string().max(1000).optional(),
      lang: z.enum(['zh', 'en']).optional(),
      // The meeting form's fields, as a browser sends them (checked as the API's meeting proposal).
      meetingId: z
        .string()
        .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be the form’s meeting id')
        .optional(),
      startsAt: z.string().max(40).optional(),
      durationMinutes: z.string().max(4).optional(),
      format: z.string().max(10).optional(),
      link: z.string().max(500).optional(),
      place: z.string().max(200).optional(),
      attendees: z.string().max(1400).optional(),
      agenda: z.string().max(2000).optional(),
      // How a meeting went (action "outcome"), as the API's outcome.
      outcome: z.enum(['HELD', 'NOT_HELD', 'CANCELLED']).optional(),
      notes: z.string().max(2000).optional(),
    }),
    bodyFormat: 'form',
  },
  getNeedSponsorDocument: {
    method: 'GET',
    path: '/need-sponsor/{token}/documents/{entryId}/{documentId}',
    entry: 'functions/api/need-sponsor-document.ts',
    auth: 'link',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['competition', 'need', 'entry'],
    signsLinks: true,
    documents: 'read',
    summary:
      'Open a document of an answer to the sponsor’s need: checks the link, records the opening, and answers 303 to a presigned GET valid for five minutes',
    params: z.strictObject({ token: tokenParams.shape.token, entryId, documentId }),
  },
  adminSendSponsorLink: {
    method: 'POST',
    path: '/admin/needs/{needId}/sponsor-link',
    entry: 'functions/api/admin-send-sponsor-link.ts',
    idempotent: true,
    auth: 'admin',
    okStatus: 202,
    table: 'readWrite',
    partitions: ['competition', 'need', 'outbox', 'audit'],
    summary:
      'Mail the need’s sponsor contact a new signed link to its page (every older link stops working); honours Idempotency-Key',
    params: z.strictObject({ needId: needIdSchema }),
  },
} as const satisfies Record<string, RouteSpec>;
