import { intakeRoundOf, type Competition } from '../../shared/competition.ts';
import { AppError, conflict, isAppError, validationError } from '../../shared/errors.ts';
import { normalizeName } from '../../shared/text.ts';
import {
  MAX_NEED_EVENTS,
  type NeedContent,
  type NeedEvent,
  needContent,
  assertAnswerable,
  nextStatus,
  searchText,
} from '../../shared/needs.ts';
import { canonicalJson, deriveNeedToken } from '../../shared/tokens.ts';
import type { ApiRequest } from '../runtime/http.ts';
import { loadByBearerToken } from './bearer.ts';
import { entryTokenKeys } from '../runtime/secret-keys.ts';
import type { RouteSpec } from '../routes/spec.ts';
import { getNeed, type NeedRecord, updateNeed } from '../store/needs.ts';
import { requireCompetition } from '../store/competitions.ts';
import { getExpert } from '../store/experts.ts';

/** The sponsor's bearer token for a need: derived (HMAC) from its id, never stored; only its hash is kept. */
export const sponsorTokenOf = async (needId: string) => deriveNeedToken(needId, (await entryTokenKeys()).current);

/** The need the bearer token grants; an unknown id and a wrong token give the same 404 (no enumeration). */
export const loadSponsorNeed = (needId: string, headers: ApiRequest<RouteSpec>['headers']) =>
  loadByBearerToken(headers, () => getNeed(needId), 'Need');

/** What the company (and the organizer) sees: everything but the token hash and the search text. */
export const ownerNeedView = (r: NeedRecord) => {
  const { tokenHash: _t, searchText: _s, ...need } = r;
  return need;
};

/**
 * What the competition asks of a need's content: its field is one of the competition's fields, and
 * answers close in the future, no later than the intake (answers are entries).
 */
export const assertFitsCompetition = (content: NeedContent, c: Competition, at: Date) => {
  const issues = [];
  const fields = new Set(c.tracks.map((t) => t.field));
  if (!fields.has(content.field))
    issues.push({
      path: 'field',
      message: `must be one of this competition's fields: ${[...fields].join(', ')}`,
      code: 'invalid_value',
    });
  const deadline = Date.parse(content.answerDeadline);
  const intakeCloses = Date.parse(intakeRoundOf(c).submissionDeadline);
  if (deadline <= at.getTime())
    issues.push({ path: 'answerDeadline', message: 'must be in the future', code: 'too_small' });
  else if (deadline > intakeCloses)
    issues.push({
      path: 'answerDeadline',
      message: `must be no later than the intake's submission deadline (${intakeRoundOf(c).submissionDeadline}): answers are entries`,
      code: 'too_big',
    });
  if (issues.length) throw validationError('The need does not fit this competition', issues);
};

/** Content as stored: the deadline in UTC (so it compares as a string) and the search text derived. */
export const normalizedContent = (content: NeedContent) => {
  const c = { ...content, answerDeadline: new Date(content.answerDeadline).toISOString() };
  return { ...c, searchText: searchText(c) };
};

const CONTENT_KEYS = Object.keys(needContent.shape) as Array<keyof NeedContent>;

/** Whether a revision would change nothing (a retried edit). */
export const sameContent = (n: NeedRecord, content: NeedContent) =>
  CONTENT_KEYS.every((k) => canonicalJson(n[k] ?? null) === canonicalJson(content[k] ?? null));

/** The need with its content replaced (optional parts left out are removed). */
export const withContent = (n: NeedRecord, content: ReturnType<typeof normalizedContent>): NeedRecord => {
  const rest = { ...n } as Partial<NeedRecord>;
  for (const k of CONTENT_KEYS) delete rest[k];
  return { ...(rest as NeedRecord), ...content };
};

export const appendEvent = (n: NeedRecord, event: Omit<NeedEvent, 'status'>, status = n.status): NeedRecord => {
  if (n.history.length >= MAX_NEED_EVENTS)
    throw new AppError(409, 'NEED_HISTORY_FULL', `A need keeps at most ${MAX_NEED_EVENTS} steps of history`);
  return { ...n, status, updatedAt: event.at, history: [...n.history, { ...event, status }] };
};

/**
 * An organizer's vetting decision (PUBLISH / RETURN / REJECT) under the need's guarded transitions, on
 * the audit record. Repeating the decision that was just taken changes nothing (a retried request).
 */
export const decideNeed = async (
  needId: string,
  decision: { action: 'PUBLISH' | 'RETURN' | 'REJECT'; reason?: string },
  principal: string,
  at: Date,
  competitionId?: string,
) => {
  const iso = at.toISOString();
  const result = await updateNeed(
    needId,
    (n) => {
      if (competitionId && n.competitionId !== competitionId)
        throw new AppError(404, 'NOT_FOUND', 'Need was not found');
      const last = n.history.at(-1);
      if (last?.by === 'ORGANIZER' && last.action === decision.action && last.reason === decision.reason)
        return undefined;
      const status = nextStatus(n.status, decision.action);
      const next = appendEvent(
        n,
        {
          at: iso,
          by: 'ORGANIZER',
          principal,
          action: decision.action,
          ...(decision.reason ? { reason: decision.reason } : {}),
        },
        status,
      );
      return {
        ...next,
        lastDecision: { action: decision.action, at: iso, ...(decision.reason ? { reason: decision.reason } : {}) },
        ...(status === 'PUBLISHED' ? { publishedAt: iso } : {}),
      };
    },
    principal,
  ).catch((e: unknown) => {
    // The same answer for an unknown need as for one of another competition.
    if (isAppError(e) && e.status === 404) throw new AppError(404, 'NOT_FOUND', 'Need was not found');
    throw e;
  });
  return result.after;
};

/**
 * 揭榜: the need an entry answers is a published need of the same competition, still open, in the field of
 * the entry's track. An unknown need and another competition's look the same (422 on `needId`).
 */
export const assertAnswerableNeed = async (needId: string, c: Competition, trackId: string, at: Date) => {
  const need = await getNeed(needId);
  if (need?.competitionId !== c.competitionId || need.status !== 'PUBLISHED')
    throw validationError('The entry names no open need of this competition', [
      { path: 'needId', message: 'is not a published need of this competition', code: 'invalid_value' },
    ]);
  assertAnswerable(need, at);
  const track = c.tracks.find((t) => t.trackId === trackId);
  // A CHALLENGE track is a sponsor's need of its own: an entry answers one or the other, never both.
  if (track?.field !== need.field || track.kind === 'CHALLENGE')
    throw validationError("The track is not an open track of the need's field", [
      { path: 'trackId', message: `must be an open track of the need's field (${need.field})`, code: 'invalid_value' },
    ]);
  return need;
};

/**
 * The sponsor's nominations for its need's panel: allowed only where the competition says so, at most its
 * number, experts of the pool only (the organizer curates the pool), never the sponsor's own people (they
 * could not review the answers anyway). The list replaces the last; the same list again changes nothing.
 */
export const nominateExperts = async (
  needId: string,
  headers: ApiRequest<RouteSpec>['headers'],
  emails: string[],
  at: Date,
) => {
  const need = await loadSponsorNeed(needId, headers);
  const competition = await requireCompetition(need.competitionId);
  const rules = competition.needs ?? { sponsorsNominateExperts: false, maxNominationsPerNeed: 3 };
  if (!rules.sponsorsNominateExperts)
    throw conflict('NOMINATION_NOT_ALLOWED', 'This competition does not take experts nominated by sponsors');
  if (emails.length > rules.maxNominationsPerNeed)
    throw validationError('Too many experts', [
      { path: 'experts', message: `at most ${rules.maxNominationsPerNeed} experts a need`, code: 'too_big' },
    ]);
  const experts = await Promise.all(emails.map((e) => getExpert(e)));
  const sponsor = normalizeName(need.sponsor.name);
  const issues = experts.flatMap((x, k) =>
    !x
      ? [{ path: `experts.${k}`, message: 'is not in the expert pool', code: 'unknown_expert' }]
      : normalizeName(x.institution) === sponsor
        ? [{ path: `experts.${k}`, message: "is of the sponsor's own organization (回避)", code: 'conflict' }]
        : [],
  );
  if (issues.length) throw validationError('Some experts cannot be nominated', issues);
  // Not a step of the need's (capped) history: nominations may change often; the last ones and when stand.
  const { after } = await updateNeed(needId, (n) =>
    canonicalJson(n.nominatedExperts ?? []) === canonicalJson(emails)
      ? undefined
      : { ...n, nominatedExperts: emails, nominatedAt: at.toISOString() },
  );
  return after;
};
