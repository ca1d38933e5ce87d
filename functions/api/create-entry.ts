import { ulid } from 'ulid';
import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { routes } from '../routes.ts';
import { AppError, notFound, validationError } from '../../shared/errors.ts';
import { assertIntakeOpen, assertSubmittable, assertTrackExists, organizationKey, type Entry } from '../../shared/entry.ts';
import { canonicalJson, newAccessToken, sha256 } from '../../shared/tokens.ts';
import { getCompetition } from '../store/competitions.ts';
import { createEntry, getIdempotencyRecord, IdempotencyRace, type EntryRecord, type IdempotentResponse } from '../store/entries.ts';
import { ownerView } from '../lib/entry-access.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

const replay = (stored: IdempotentResponse, requestHash: string) => {
  if (stored.requestHash !== requestHash) {
    throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body');
  }
  return { status: stored.status, body: stored.body, headers: { 'idempotent-replayed': 'true' } };
};

export const handler = api(routes.createEntry, async ({ params, body, headers }) => {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw validationError('Invalid Idempotency-Key header', [{ path: 'header.idempotency-key', message: 'must be 8-128 characters of A-Z a-z 0-9 . _ : -', code: 'invalid_string' }]);
  }
  const scope = `entries#${params.competitionId}`;
  const requestHash = sha256(canonicalJson(body));
  if (key) {
    const stored = await getIdempotencyRecord(scope, key);
    if (stored) return replay(stored, requestHash);
  }

  const competition = await getCompetition(params.competitionId);
  if (!competition || competition.status === 'DRAFT') throw notFound('Competition');
  const at = now();
  assertIntakeOpen(competition, at);
  assertTrackExists(competition, body.trackId);
  const { submit, trackId, ...content } = body;
  if (submit) assertSubmittable(content, competition, trackId);

  const token = newAccessToken();
  const iso = at.toISOString();
  const entry: Entry = {
    ...content,
    entryId: ulid(at.getTime()),
    competitionId: competition.competitionId,
    trackId,
    status: submit ? 'SUBMITTED' : 'DRAFT',
    organizationKey: organizationKey(content.applicant),
    version: 1,
    createdAt: iso,
    updatedAt: iso,
    ...(submit ? { submittedAt: iso } : {}),
  };
  const record: EntryRecord = { ...entry, tokenHash: sha256(token) };
  const response = { status: 201, body: { entry: ownerView(record), accessToken: token } };
  try {
    await createEntry(record, competition.entryPolicy.maxActiveEntriesPerOrganizationPerTrack, key ? { scope, key, now: at, response: { ...response, requestHash } } : undefined);
  } catch (e) {
    // The same key arrived twice at once: the other request won; answer as it did.
    if (e instanceof IdempotencyRace && key) {
      const stored = await getIdempotencyRecord(scope, key);
      if (stored) return replay(stored, requestHash);
    }
    throw e;
  }
  return response;
});
