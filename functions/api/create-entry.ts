import { solverOf } from '../../shared/need-statistics.ts';
import { intakeRoundOf } from '../../shared/competition.ts';
import { ulid } from 'ulid';
import { api } from '../runtime/http.ts';
import { now } from '../runtime/clock.ts';
import { entryRoutes } from '../routes/entries.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import {
  assertIntakeOpen,
  assertSubmittable,
  assertTrackExists,
  organizationKey,
  type CreateEntryBody,
  type Entry,
} from '../../shared/entry.ts';
import { canonicalJson, deriveAccessToken, sha256 } from '../../shared/tokens.ts';
import { entryTokenKeys } from '../runtime/secret-keys.ts';
import { getCompetitionCached } from '../store/competitions.ts';
import {
  createEntry,
  getIdempotencyRecord,
  IdempotencyRace,
  type EntryRecord,
  type IdempotentResponse,
} from '../store/entries.ts';
import { ownerView } from '../services/entry-access.ts';
import { assertAnswerableNeed } from '../services/needs.ts';
import { idempotencyKeyOf, keyReused } from '../services/idempotency.ts';
import { recordMetric } from '../runtime/metrics.ts';
import { applicantNoticePut } from '../services/notifications.ts';

/** The stored answer holds no token: the replay derives it again from the entry id. */
const replay = async (stored: IdempotentResponse, requestHash: string) => {
  if (stored.requestHash !== requestHash) throw keyReused();
  const body = stored.body as { entry: { entryId: string } };
  const accessToken = deriveAccessToken(body.entry.entryId, (await entryTokenKeys()).current);
  return { status: stored.status, body: { ...body, accessToken }, headers: { 'idempotent-replayed': 'true' } };
};

export const handler = api(entryRoutes.createEntry, async ({ params, body, headers }) => {
  const key = idempotencyKeyOf(headers);
  const scope = `entries#${params.competitionId}`;
  const requestHash = sha256(canonicalJson(body));
  try {
    return await createOnce(params.competitionId, body, key ? { scope, key, requestHash } : undefined);
  } catch (e) {
    // Optimistic idempotency: the stored response is looked up only when this
    // attempt could not complete (a retry after success, or a concurrent twin),
    // so a replay wins over any rule that fails now (e.g. the deadline has passed).
    if (key && (e instanceof IdempotencyRace || e instanceof AppError)) {
      const stored = await getIdempotencyRecord(scope, key);
      if (stored) return replay(stored, requestHash);
    }
    throw e;
  }
});

const createOnce = async (
  competitionId: string,
  body: CreateEntryBody,
  idem?: { scope: string; key: string; requestHash: string },
) => {
  const at = now();
  const competition = await getCompetitionCached(competitionId);
  if (!competition || competition.status === 'DRAFT') throw notFound('Competition');
  assertIntakeOpen(competition, at);
  assertTrackExists(competition, body.trackId);
  const { submit, trackId, needId, ...content } = body;
  if (submit) assertSubmittable(content, competition, trackId);
  if (needId) await assertAnswerableNeed(needId, competition, trackId, at);

  const entryId = ulid(at.getTime());
  const token = deriveAccessToken(entryId, (await entryTokenKeys()).current);
  const iso = at.toISOString();
  const entry: Entry = {
    ...content,
    entryId,
    competitionId: competition.competitionId,
    trackId,
    status: submit ? 'SUBMITTED' : 'DRAFT',
    ...(needId ? { needId } : {}),
    organizationKey: organizationKey(content.applicant),
    version: 1,
    createdAt: iso,
    updatedAt: iso,
    ...(submit ? { submittedAt: iso } : {}),
  };
  const record: EntryRecord = { ...entry, tokenHash: sha256(token) };
  const stored = { status: 201, body: { entry: ownerView(record) } };
  await createEntry(
    record,
    competition.entryPolicy.maxActiveEntriesPerOrganizationPerTrack,
    idem
      ? { scope: idem.scope, key: idem.key, now: at, response: { ...stored, requestHash: idem.requestHash } }
      : undefined,
    intakeRoundOf(competition).roundId,
    needId
      ? {
          needId,
          entryId,
          competitionId: competition.competitionId,
          answeredAt: iso,
          status: 'ANSWERED',
          history: [],
          solver: solverOf(entry),
          version: 1,
        }
      : undefined,
    submit ? applicantNoticePut(competition, entry, { kind: 'ENTRY_SUBMITTED' }, at) : undefined,
  );
  const track = { competitionId: competition.competitionId, trackId };
  recordMetric('EntriesCreated', track);
  if (submit) recordMetric('EntriesSubmitted', track);
  return { status: 201, body: { ...stored.body, accessToken: token } };
};
