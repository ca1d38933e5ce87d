import { AppError } from '../../shared/errors.ts';
import { tokenMatches } from '../../shared/tokens.ts';
import { bearerToken, type ApiRequest } from '../runtime/http.ts';
import type { RouteSpec } from '../routes/spec.ts';
import { getEntryRecord, type EntryRecord } from '../store/entries.ts';

/**
 * Loads the entry the bearer token grants. An unknown id and a wrong token give
 * the same 404, so ids cannot be enumerated.
 */
export const loadOwnedEntry = async (
  entryId: string,
  headers: ApiRequest<RouteSpec>['headers'],
): Promise<EntryRecord> => {
  const token = bearerToken(headers);
  const record = await getEntryRecord(entryId);
  if (!record || !tokenMatches(token, record.tokenHash)) throw new AppError(404, 'NOT_FOUND', 'Entry was not found');
  return record;
};

/** The entry as its applicant (and the organizer) sees it: no token hash, no internal keys. */
export const ownerView = (r: EntryRecord) => {
  const { tokenHash: _t, organizationKey: _o, ...entry } = r;
  return entry;
};
