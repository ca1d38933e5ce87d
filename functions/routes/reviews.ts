import * as z from 'zod';
import { reviewFormBody } from '../../shared/review/review-form.ts';
import { expertHomeFormBody } from '../../shared/review/expert-home.ts';
import { documentId, type RouteSpec } from './spec.ts';

const tokenParams = z.strictObject({ token: z.string().min(1).max(2048) });
const pageQuery = <const S extends readonly [string, ...string[]]>(saved: S) =>
  z.strictObject({ lang: z.enum(['zh', 'en']).optional(), saved: z.enum(saved).optional() });

/** What an expert's pages read (the review page, their home), and what their forms write: one set of needs. */
const expertReads = {
  auth: 'link',
  okStatus: 200,
  table: 'read',
  partitions: ['competition', 'entry', 'expert', 'assignment'],
  signsLinks: true,
} as const;
const expertWrites = {
  auth: 'link',
  okStatus: 200,
  table: 'readWrite',
  partitions: ['competition', 'entry', 'expert', 'assignment', 'audit'],
  signsLinks: true,
  resumes: ['review'],
} as const;

/** Routes of the route table (functions/routes.ts); a handler imports only its own group, so its bundle carries only its schemas. */
export const reviewRoutes = {
  getReviewPage: {
    method: 'GET',
    path: '/review/{token}',
    entry: 'functions/api/review-page.ts',
    ...expertReads,
    summary:
      'The reviewer page for the one assignment a signed link names (HTML; changes nothing, so mail scanners may prefetch it)',
    params: tokenParams,
    query: pageQuery(['saved', 'submitted', 'declined']),
  },
  postReview: {
    method: 'POST',
    path: '/review/{token}',
    entry: 'functions/api/review-submit.ts',
    ...expertWrites,
    summary:
      'Save a draft, submit (or change) the review, or declare a conflict — an HTML form post; answers with a redirect to the page',
    params: tokenParams,
    body: reviewFormBody,
    bodyFormat: 'form',
  },
  getReviewDocument: {
    method: 'GET',
    path: '/review/{token}/documents/{documentId}',
    entry: 'functions/api/review-document.ts',
    auth: 'link',
    okStatus: 200,
    table: 'readWrite',
    partitions: ['competition', 'entry', 'expert', 'assignment'],
    signsLinks: true,
    documents: 'read',
    summary:
      'Open one of the reviewed entry’s documents: checks the link (purpose, expiry, version, round not frozen), records who opened what, and answers 303 to a presigned GET valid for five minutes (PDF inline, others as attachment)',
    params: z.strictObject({
      token: tokenParams.shape.token,
      documentId,
    }),
  },
  getExpertHome: {
    method: 'GET',
    path: '/experts/{token}',
    entry: 'functions/api/expert-home-page.ts',
    ...expertReads,
    summary:
      'An expert’s home in one round (HTML; changes nothing): every review given to them with its status, the deadline, documents and a link to each review page, and "5 of 8 submitted"',
    params: tokenParams,
    query: pageQuery(['language', 'declined']),
  },
  postExpertHome: {
    method: 'POST',
    path: '/experts/{token}',
    entry: 'functions/api/expert-home-submit.ts',
    ...expertWrites,
    summary:
      'Set the language of the round’s pages and e-mails, or decline the whole round with a reason (every pending review goes to a backup reviewer) — a form post answered with a redirect',
    params: tokenParams,
    body: expertHomeFormBody,
    bodyFormat: 'form',
  },
} as const satisfies Record<string, RouteSpec>;
