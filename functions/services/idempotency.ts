import { AppError, conflict, validationError } from '../../shared/errors.ts';
import { canonicalJson, sha256 } from '../../shared/tokens.ts';
import { IDEMPOTENCY_KEY, type RouteSpec } from '../routes/spec.ts';
import { now } from '../runtime/clock.ts';
import { type ApiRequest, type ApiResponse, api } from '../runtime/http.ts';
import { logger } from '../runtime/logger.ts';
import { claimIdempotency, completeIdempotency, getIdempotency, releaseIdempotency } from '../store/idempotency.ts';

/** The request's `Idempotency-Key`, if any; a malformed one is a 422 (before anything runs). */
export const idempotencyKeyOf = (headers: Record<string, string | undefined>): string | undefined => {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw validationError('Invalid Idempotency-Key header', [
      {
        path: 'header.idempotency-key',
        message: 'must be 8-128 characters of A-Z a-z 0-9 . _ : -',
        code: 'invalid_string',
      },
    ]);
  }
  return key;
};

export const keyReused = () =>
  new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');

/** Default Lambda timeout of a route (infra/function.ts), plus a margin. */
const holdSecondsOf = (route: RouteSpec) => (route.timeoutSeconds ?? 15) + 5;

/**
 * A mutating route that honours `Idempotency-Key` (Stripe's convention): the
 * same key with the same request answers what the first attempt answered,
 * without running the change again; the same key with another request is a
 * 422; while the first attempt still runs, a twin gets a 409. A failed attempt
 * releases the key. Without the header the route runs as usual.
 */
export const idempotentApi = <R extends RouteSpec>(
  route: R,
  run: (req: ApiRequest<R>) => Promise<ApiResponse>,
  /**
   * For an answer that carries a bearer secret: what of it is kept at rest (the secret removed), and how
   * a replay restores it (derives it again).
   */
  secret?: { atRest: (body: never) => unknown; fromRest: (body: never) => Promise<unknown> },
) =>
  api(route, async (req) => {
    const key = idempotencyKeyOf(req.headers);
    if (!key) return run(req);
    // A key used with a bearer token belongs to that token: a wrong token is never answered from the
    // record, and another holder's reuse of a key is neither replayed nor refused as a reuse.
    const bearer = req.headers.authorization;
    const scope = `${route.method} ${route.path}${bearer ? `#${sha256(bearer)}` : ''}`;
    const requestHash = sha256(
      canonicalJson({ params: req.params ?? null, query: req.query ?? null, body: req.body ?? null }),
    );
    let claimed = false;
    for (let attempt = 0; attempt < 2 && !claimed; attempt++) {
      const stored = await getIdempotency(scope, key);
      if (stored && stored.requestHash !== requestHash) throw keyReused();
      if (stored?.state === 'COMPLETED') {
        const body = secret ? await secret.fromRest(stored.body as never) : stored.body;
        return { status: stored.status, body, headers: { 'idempotent-replayed': 'true' } };
      }
      claimed = await claimIdempotency(scope, key, requestHash, now(), holdSecondsOf(route));
    }
    if (!claimed) {
      throw conflict(
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is still being processed; retry shortly',
      );
    }
    let response: ApiResponse;
    try {
      response = await run(req);
    } catch (e) {
      await releaseIdempotency(scope, key, now()).catch((err: unknown) =>
        logger.warn('could not release an idempotency key', { error: err as Error }),
      );
      throw e;
    }
    const kept = secret ? secret.atRest(response.body as never) : response.body;
    await completeIdempotency(scope, key, { status: response.status ?? route.okStatus, body: kept });
    return response;
  });
