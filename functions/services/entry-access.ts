import type { ApiRequest } from '../runtime/http.ts';
import type { RouteSpec } from '../routes/spec.ts';
import { getEntryRecord, type EntryRecord } from '../store/entries.ts';
import { loadByBearerToken } from './bearer.ts';

/** Loads the entry the applicant's bearer token grants (404 for an unknown id and a wrong token alike). */
export const loadOwnedEntry = (entryId: string, headers: ApiRequest<RouteSpec>['headers']): Promise<EntryRecord> =>
  loadByBearerToken(headers, () => getEntryRecord(entryId), 'Entry');

/** The entry as its applicant (and the organizer) sees it: no token hash, no internal keys. */
export const ownerView = (r: EntryRecord) => {
  const { tokenHash: _t, organizationKey: _o, ...entry } = r;
  return entry;
};
