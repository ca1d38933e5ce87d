import { ulid } from 'ulid';
import { AppError, conflict, notFound, validationError } from '../../shared/errors.ts';
import {
  type Deal,
  type DealCorrection,
  type DealEvent,
  type Meeting,
  type MeetingProposal,
  type RecordDealBody,
  MAX_MATCHING_EVENTS,
  correctDeal,
} from '../../shared/matching.ts';
import { needStatistics, type NeedStatistics, type StatEntry, solverOf } from '../../shared/need-statistics.ts';
import type { NeedStatus } from '../../shared/needs.ts';
import {
  createDeal,
  createMeeting,
  getAnswer,
  getAnsweringEntries,
  listActivity,
  listAnswerMeetings,
  updateAnswer,
  updateDeal,
} from '../store/matching.ts';
import { listAnswers } from '../store/needs.ts';
import { getEntryRecord, getEntryRecords } from '../store/entries.ts';
import { logger } from '../runtime/logger.ts';
import { type OutboxMessage, outboxMessageKey, putOutboxMessage } from '../store/outbox.ts';
import { readableDocuments } from './document-access.ts';
import { downloadUrl } from './document-storage.ts';
import { recordDocumentAccess } from '../store/documents.ts';
import { getNeed, listNeedFigures, updateNeed } from '../store/needs.ts';
import type { NeedRecord } from '../store/needs.ts';
import type { EntryRecord } from '../store/entries.ts';

/** 对接: the sponsor proposes a meeting to the solver of a shortlisted answer. */
export const proposeMeeting = async (
  need: NeedRecord,
  entryId: string,
  proposal: MeetingProposal,
  at: Date,
  /** The page's form names its meeting, so a form sent twice proposes one meeting; the API makes one up. */
  meetingId = ulid(at.getTime()),
): Promise<Meeting> => {
  if (Date.parse(proposal.startsAt) <= at.getTime())
    throw validationError('A meeting is proposed for a time to come', [
      { path: 'startsAt', message: 'must be in the future', code: 'too_small' },
    ]);
  const iso = at.toISOString();
  const meeting: Meeting = {
    ...proposal,
    startsAt: new Date(proposal.startsAt).toISOString(),
    meetingId,
    needId: need.needId,
    entryId,
    competitionId: need.competitionId,
    status: 'PROPOSED',
    proposedAt: iso,
    updatedAt: iso,
    history: [{ at: iso, by: 'SPONSOR', action: 'PROPOSE', status: 'PROPOSED' }],
    version: 1,
  };
  await createMeeting(meeting);
  return meeting;
};

/** A deal may be recorded for a need that was published (answers came through the catalogue). */
const assertDealable = (need: NeedRecord) => {
  if (!need.publishedAt) throw conflict('NEED_NOT_PUBLISHED', 'Deals are recorded for published needs only');
};

/** 签约: the sponsor or the organizer records a signed contract between the need's sponsor and a solver. */
export const recordDeal = async (
  need: NeedRecord,
  body: RecordDealBody,
  by: Pick<DealEvent, 'by' | 'principal'>,
  at: Date,
): Promise<Deal> => {
  assertDealable(need);
  const iso = at.toISOString();
  const { note, ...terms } = body;
  const deal: Deal = {
    ...terms,
    ...(note ? { note } : {}),
    dealId: ulid(at.getTime()),
    needId: need.needId,
    competitionId: need.competitionId,
    status: 'SIGNED',
    recordedAt: iso,
    updatedAt: iso,
    history: [{ at: iso, ...byOf(by), action: 'RECORDED', status: 'SIGNED' }],
    version: 1,
  };
  await createDeal(deal);
  return deal;
};

const byOf = (by: Pick<DealEvent, 'by' | 'principal'>) => ({
  by: by.by,
  ...(by.principal ? { principal: by.principal } : {}),
});

/** A correction (terms, or a new status) with its reason; the deal's earlier terms stay in its history. */
export const correctRecordedDeal = async (
  needId: string,
  dealId: string,
  correction: DealCorrection,
  by: Pick<DealEvent, 'by' | 'principal'>,
  at: Date,
): Promise<Deal> => {
  const { after } = await updateDeal(needId, dealId, (d) => correctDeal(d, correction, byOf(by), at)).catch(
    notFoundAs('Deal'),
  );
  return after;
};

/** The organizer's need: an unknown id looks like any other missing record. */
export const requireNeed = async (needId: string): Promise<NeedRecord> => {
  const need = await getNeed(needId);
  if (!need) throw notFound('Need');
  return need;
};

/** `count - 1` need ids that split the needs, in id order, into `count` groups of about the same size. */
const rangeStarts = (needs: { needId: string }[], count: number) => {
  const ids = needs.map((n) => n.needId).sort();
  return Array.from({ length: count - 1 }, (_, i) => ids[Math.floor(((i + 1) * ids.length) / count)]).filter(
    (id): id is string => id !== undefined,
  );
};

const STAT_STATUSES: NeedStatus[] = ['DRAFT', 'SUBMITTED', 'RETURNED', 'PUBLISHED', 'REJECTED', 'WITHDRAWN'];

/**
 * The competition's needs figures, read from the stored records: its needs (every status), the answers,
 * meetings and deals on GSI1, and the answering entries as they stand now.
 */
export const competitionNeedStatistics = async (competitionId: string): Promise<NeedStatistics> => {
  // Each answer carries what is counted of its entry (`solver`); only answers written before it existed
  // send us to their entries.
  // Answers sort by need: the needs, once read, split the competition's answers into ranges read at once.
  const needsRead = Promise.all(STAT_STATUSES.map((s) => listNeedFigures(competitionId, s))).then((lists) =>
    lists.flat(),
  );
  const answersRead = needsRead.then((list) =>
    listActivity('ANSWERS', competitionId, ['needId', 'entryId', 'status', 'solver'], rangeStarts(list, 8)),
  );
  const [needs, answers, meetings, deals, older] = await Promise.all([
    needsRead,
    answersRead,
    listActivity('MEETINGS', competitionId, ['needId', 'status']),
    listActivity('DEALS', competitionId, ['needId', 'status', 'amount']),
    answersRead.then((list) => getAnsweringEntries(list.filter((a) => !a.solver).map((a) => String(a.entryId)))),
  ]);
  const entries = new Map([
    ...older,
    ...answers.flatMap((a) => (a.solver ? [[String(a.entryId), a.solver as StatEntry] as const] : [])),
  ]);
  return needStatistics({
    needs,
    answers: answers.map((a) => ({
      needId: String(a.needId),
      entryId: String(a.entryId),
      status: a.status as 'ANSWERED',
    })),
    entries,
    meetings: meetings.map((m) => ({ needId: String(m.needId), status: m.status as 'HELD' })),
    deals: deals.map((d) => ({
      needId: String(d.needId),
      status: d.status as 'SIGNED',
      amount: (d.amount as { amount: string }).amount,
    })),
  });
};

/** Maps a store's 404 to the record the caller asked for (an unknown id and a foreign one alike). */
export const notFoundAs =
  (what: string) =>
  (e: unknown): never => {
    if (e instanceof AppError && e.status === 404) throw notFound(what);
    throw e;
  };

/** Meetings after which the solver may reach the sponsor directly. */
const AGREED = new Set(['ACCEPTED', 'HELD', 'NOT_HELD']);

/**
 * The solver's meetings for the need its entry answers; once it accepted one, the sponsor's contact
 * (which the catalogue never shows) so the two can prepare it.
 */
export const solverMeetings = async (entry: EntryRecord) => {
  if (!entry.needId) return { meetings: [] };
  const [meetings, need] = await Promise.all([listAnswerMeetings(entry.needId, entry.entryId), getNeed(entry.needId)]);
  const agreed = meetings.some((m) => AGREED.has(m.status));
  return {
    need: need && { needId: need.needId, title: need.title, sponsor: { name: need.sponsor.name } },
    meetings,
    ...(agreed && need ? { sponsorContact: need.contact } : {}),
  };
};

/** How long a sponsor's link stays valid after its need stops taking answers (matching and deals go on). */
const SPONSOR_LINK_DAYS_AFTER_DEADLINE = 180;

/** The message that carries a need's sponsor link at a version (the link is signed when it is sent). */
export const sponsorLinkMessage = (
  need: Pick<NeedRecord, 'needId' | 'competitionId' | 'contact' | 'title' | 'answerDeadline'>,
  version: number,
  at: Date,
): OutboxMessage => {
  const expiresAt = new Date(Date.parse(need.answerDeadline) + SPONSOR_LINK_DAYS_AFTER_DEADLINE * 86400_000);
  return {
    kind: 'NEED_SPONSOR_LINK',
    messageKey: outboxMessageKey.needSponsor(need.needId, version),
    expertEmail: need.contact.email,
    competitionId: need.competitionId,
    roundId: 'needs',
    language: 'zh',
    details: [need.title.en ? `${need.title.zh}（${need.title.en}）` : need.title.zh],
    links: [{ assignmentId: need.needId, purpose: 'need-sponsor', version, expiresAt: expiresAt.toISOString() }],
    closesAt: expiresAt.toISOString(),
    createdAt: at.toISOString(),
  };
};

/**
 * The organizer sends the need's sponsor a new signed link: the version goes up (every older link stops
 * working) and the message is written once for that version.
 */
export const sendSponsorLink = async (needId: string, principal: string, at: Date) => {
  const { after } = await updateNeed(needId, (n) => ({
    ...n,
    linkVersion: (n.linkVersion ?? 1) + 1,
    linkSentAt: at.toISOString(),
  })).catch(notFoundAs('Need'));
  await putOutboxMessage(sponsorLinkMessage(after, after.linkVersion ?? 1, at));
  logger.info('sponsor link sent', { needId, linkVersion: after.linkVersion, by: principal });
  return after;
};

/** The answers to a need, each with its entry as it stands now and its clean documents (one page). */
export const answersPage = async (needId: string, limit: number, cursor?: string) => {
  const page = await listAnswers(needId, limit, cursor);
  const records = await getEntryRecords(page.items.map((a) => a.entryId));
  const entries = new Map(records.map((e) => [e.entryId, e]));
  // Documents of submitted answers only: a draft is not yet an answer, a withdrawn one no longer is.
  const documents = await Promise.all(
    page.items.map((a) => {
      const e = entries.get(a.entryId);
      return e && solverOf(e).counted ? readableDocuments(a.entryId, false) : Promise.resolve([]);
    }),
  );
  return {
    items: page.items.map((answer, k) => ({ answer, entry: entries.get(answer.entryId), documents: documents[k]! })),
    cursor: page.cursor,
  };
};

const DECIDED = { SHORTLIST: 'SHORTLISTED', DECLINE: 'DECLINED' } as const;

/** 入围: the sponsor shortlists an answer to its need or declines it with a reason; a repeat changes nothing. */
export const decideAnswer = async (
  needId: string,
  entryId: string,
  decision: { action: 'SHORTLIST' | 'DECLINE'; reason?: string },
  at: Date,
) => {
  const iso = at.toISOString();
  const { after } = await updateAnswer(needId, entryId, (a) => {
    const last = a.history.at(-1);
    if (last?.action === decision.action && last.reason === decision.reason) return undefined; // a retry
    if (a.history.length >= MAX_MATCHING_EVENTS)
      throw conflict('ANSWER_HISTORY_FULL', `An answer keeps at most ${MAX_MATCHING_EVENTS} decisions`);
    const status = DECIDED[decision.action];
    const step = { at: iso, action: decision.action, ...(decision.reason ? { reason: decision.reason } : {}), status };
    return { ...a, status, history: [...a.history, step] };
  }).catch(notFoundAs('Answer'));
  return after;
};

/**
 * 揭榜: a need's sponsor opens a solver's document — only of an answer to that need, only a clean current
 * original. The opening is recorded (the organizer sees who opened what, and when); the answer is the
 * five-minute presigned GET to redirect to.
 */
export const openAnswerDocument = async (
  need: Pick<NeedRecord, 'needId' | 'sponsor'>,
  entryId: string,
  documentId: string,
  at: Date,
): Promise<string> => {
  const [answer, entry] = await Promise.all([getAnswer(need.needId, entryId), getEntryRecord(entryId)]);
  if (!answer || !entry || !solverOf(entry).counted) throw notFound('Document');
  const document = (await readableDocuments(entryId, false)).find((d) => d.documentId === documentId);
  if (!document) throw notFound('Document');
  await recordDocumentAccess(entryId, {
    documentId: document.documentId,
    reader: 'NEED_SPONSOR',
    needId: need.needId,
    sponsorName: need.sponsor.name,
    at: at.toISOString(),
  });
  return downloadUrl(document);
};
