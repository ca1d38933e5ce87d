import * as z from 'zod';
import { roundSlug, slug } from '../../shared/ids.ts';
import type { FunctionNeeds } from '../function-spec.ts';

export type Auth = 'public' | 'applicant' | 'admin' | 'link' | 'manager';

export interface RouteSpec extends FunctionNeeds {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Handler module (exports `handler`), relative to the repository root. */
  entry: string;
  /**
   * public: anyone; applicant: bearer entry token checked by the handler;
   * admin: IAM in AWS, admin key locally; link: a signed link in the path;
   * manager: a project manager's workspace token as the bearer token, checked by the handler.
   */
  auth: Auth;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** How the body is sent: JSON (default), CSV text (`text/csv`) or an HTML form, then checked by `body`. */
  bodyFormat?: 'json' | 'csv' | 'form';
  /** Status of a successful response. */
  okStatus: 200 | 201 | 202;
  /** Honours `Idempotency-Key`: a retry with the same key and request answers the first answer, changing nothing. */
  idempotent?: boolean;
  /** A larger body limit than MAX_BODY_BYTES for this route (well under Lambda's 6 MB request limit). */
  maxBodyBytes?: number;
}

/** What an `Idempotency-Key` header may hold. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export const competitionParams = z.strictObject({ competitionId: slug });
const entryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id');
export const entryParams = z.strictObject({ entryId });
export const documentId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a document id');
export const documentParams = z.strictObject({ entryId, documentId });
export const roundParams = z.strictObject({ competitionId: slug, roundId: roundSlug });
export const projectId = z.string().regex(/^PRJ-[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a project id');
export const projectParams = z.strictObject({ projectId });
/**
 * `limit` and `cursor` of a list route: at most `max` items a page (documented per route, chosen so a
 * page stays well under 1 MB), the cursor as the previous page's `nextCursor` answered it.
 */
export const pageOf = (max: number, fallback = Math.min(25, max)) => ({
  limit: z.coerce.number().int().min(1).max(max).default(fallback),
  cursor: z.string().max(2000).optional(),
});
export const page = pageOf(100);

/** Bodies above this are refused with 413 before parsing (API Gateway's own cap is 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;

/** The header CloudFront adds to every request it forwards to the API (infra/stack.ts, the edge). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
