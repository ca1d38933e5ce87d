import { timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import { observed } from './observability.ts';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { AppError, isAppError, zodIssues } from '../../shared/errors.ts';
import { MAX_BODY_BYTES, ORIGIN_VERIFY_HEADER, type RouteSpec } from '../routes/spec.ts';
import { logger } from './logger.ts';
import { originVerifyKeys } from './secret-keys.ts';

type In<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface ApiRequest<R extends RouteSpec> {
  params: In<R['params']>;
  query: In<R['query']>;
  body: In<R['body']>;
  /** Lower-cased header names, as API Gateway v2 delivers them. */
  headers: Record<string, string | undefined>;
  /** Who called an admin route: the IAM principal in AWS, the local admin locally. */
  principal: string;
  event: APIGatewayProxyEventV2;
}

export interface ApiResponse {
  status?: number;
  body?: unknown;
  /** An HTML page instead of JSON (reviewer page), sent with a strict content security policy. */
  html?: string;
  /** Any other representation (CSV exports). */
  text?: { contentType: string; body: string };
  headers?: Record<string, string>;
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const json = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { ...BASE_HEADERS, ...headers },
  body: JSON.stringify(body),
});

export const errorBody = (e: AppError) => ({
  error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
});

const parseWith = <T extends z.ZodType>(schema: T, value: unknown, location: string): z.output<T> => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AppError(422, 'VALIDATION_FAILED', `The request ${location} is invalid`, {
    location,
    issues: zodIssues(r.error),
  });
};

/** A malformed path parameter cannot name anything that exists: 404, exactly like an unknown id. */
const parsePath = <T extends z.ZodType>(schema: T, value: unknown): z.output<T> => {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new AppError(404, 'NOT_FOUND', 'Not found');
};

const NO_BODY = z.strictObject({});

const readBody = (route: RouteSpec, event: APIGatewayProxyEventV2): unknown => {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
  if (bytes.length > limit) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${limit} bytes`, { limitBytes: limit });
  }
  if (bytes.length === 0) {
    if (route.body)
      throw new AppError(
        400,
        'MISSING_BODY',
        `A ${route.bodyFormat === 'csv' ? 'CSV' : route.bodyFormat === 'form' ? 'form' : 'JSON'} request body is required`,
      );
    return undefined;
  }
  const contentType = (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const expected =
    route.bodyFormat === 'csv'
      ? 'text/csv'
      : route.bodyFormat === 'form'
        ? 'application/x-www-form-urlencoded'
        : 'application/json';
  if (contentType !== expected) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `The request body must be ${expected}`, {
      contentType: contentType || null,
    });
  }
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError(
      400,
      route.bodyFormat === 'csv' ? 'MALFORMED_TEXT' : 'MALFORMED_JSON',
      'The request body is not valid UTF-8',
    );
  }
  if (route.bodyFormat === 'csv') return parseWith(route.body ?? NO_BODY, decoded, 'body');
  if (route.bodyFormat === 'form')
    return parseWith(route.body ?? NO_BODY, Object.fromEntries(new URLSearchParams(decoded)), 'body');
  let value: unknown;
  try {
    value = JSON.parse(decoded);
  } catch {
    throw new AppError(400, 'MALFORMED_JSON', 'The request body is not valid UTF-8 JSON');
  }
  return parseWith(route.body ?? NO_BODY, value, 'body');
};

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Behind the CloudFront distribution (and its per-client WAF rate limit), a public route answers only
 * requests that came through it: calling the API's own endpoint directly would bypass the limit.
 * Admin routes are signed with IAM (SigV4) and called on the API's endpoint directly.
 */
const assertThroughEdge = async (route: RouteSpec, event: APIGatewayProxyEventV2) => {
  if (route.auth === 'admin' || !process.env.ORIGIN_VERIFY_SECRET_ARN) return;
  const presented = event.headers?.[ORIGIN_VERIFY_HEADER] ?? '';
  if ((await originVerifyKeys()).verify.some((k) => sameSecret(presented, k))) return;
  throw new AppError(403, 'DIRECT_ACCESS_DENIED', 'Call the API through its public address, not its origin endpoint');
};

/**
 * Wraps a route's domain call: parse (zod) → run → JSON response, with every
 * failure mapped to `{ error: { code, message, details } }`.
 */
export const api = <R extends RouteSpec>(route: R, run: (req: ApiRequest<R>) => Promise<ApiResponse>) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(observed())
    .handler(async (event) => {
      try {
        await assertThroughEdge(route, event);
        const params = route.params ? parsePath(route.params, event.pathParameters ?? {}) : undefined;
        const query = route.query ? parseWith(route.query, event.queryStringParameters ?? {}, 'query') : undefined;
        const body = readBody(route, event);
        const authorizer = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer;
        const res = await run({
          params: params as In<R['params']>,
          query: query as In<R['query']>,
          body: (route.body ? body : undefined) as In<R['body']>,
          headers: event.headers ?? {},
          principal: authorizer?.iam?.userArn ?? 'anonymous',
          event,
        });
        if (res.text !== undefined)
          return {
            statusCode: res.status ?? route.okStatus,
            headers: {
              'content-type': res.text.contentType,
              'cache-control': 'no-store',
              'x-content-type-options': 'nosniff',
              ...res.headers,
            },
            body: res.text.body,
          };
        if (res.html !== undefined)
          return {
            statusCode: res.status ?? route.okStatus,
            headers: { ...HTML_HEADERS, ...res.headers },
            body: res.html,
          };
        return json(res.status ?? route.okStatus, res.body, res.headers);
      } catch (e) {
        if (isAppError(e)) {
          logger.info('request refused', { code: e.code, status: e.status });
          return json(e.status, errorBody(e));
        }
        logger.error('unhandled error', e as Error);
        return json(500, {
          error: {
            code: 'INTERNAL',
            message: 'Internal error',
            details: { requestId: event.requestContext?.requestId },
          },
        });
      }
    });

/** `Authorization: Bearer <token>`; absent → 401 (reveals nothing about the entry). */
export const bearerToken = (headers: ApiRequest<RouteSpec>['headers']): string => {
  const h = headers.authorization ?? '';
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,512})$/.exec(h.trim());
  if (!m) throw new AppError(401, 'UNAUTHENTICATED', 'An applicant token is required: Authorization: Bearer <token>');
  return m[1]!;
};
