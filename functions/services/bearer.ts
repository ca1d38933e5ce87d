import { AppError } from '../../shared/errors.ts';
import { tokenMatches } from '../../shared/tokens.ts';
import { bearerToken, type ApiRequest } from '../runtime/http.ts';
import type { RouteSpec } from '../routes/spec.ts';

/**
 * Loads the record a bearer token grants (an entry's applicant, a need's sponsor): the token's hash must
 * match the stored one, compared in constant time. An unknown id and a wrong token give the same 404,
 * so ids cannot be enumerated.
 */
export const loadByBearerToken = async <T extends { tokenHash?: string }>(
  headers: ApiRequest<RouteSpec>['headers'],
  load: () => Promise<T | undefined>,
  what: string,
): Promise<T> => {
  const token = bearerToken(headers);
  const record = await load();
  if (!record || !tokenMatches(token, record.tokenHash)) throw new AppError(404, 'NOT_FOUND', `${what} was not found`);
  return record;
};
