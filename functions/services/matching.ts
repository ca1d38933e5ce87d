import { ulid } from 'ulid';
import { AppError, conflict, notFound, validationError } from '../../shared/errors.ts';
import {
  type Deal,
  type DealCorrection,
  type DealEvent,
  type Meeting,
  type MeetingProposal,
  type RecordDealBody,
  correctDeal,
} from '../../shared/matching.ts';
import { needStatistics, type NeedStatistics } from '../../shared/need-statistics.ts';
import type { NeedStatus } from '../../shared/needs.ts';
import {
  createDeal,
  createMeeting,
  getAnsweringEntries,
  listActivity,
  listAnswerMeetings,
  updateDeal,
} from '../store/matching.ts';
import { getNeed, listNeedFigures } from '../store/needs.ts';
import type { NeedRecord } from '../store/needs.ts';
import type { EntryRecord } from '../store/entries.ts';

/** 对接: the sponsor proposes a meeting to the solver of a shortlisted answer. */
export const proposeMeeting = async (
  need: NeedRecord,
  entryId: string,
  proposal: MeetingProposal,
  at: Date,
): Promise<Meeting> => {
  if (Date.parse(proposal.startsAt) <= at.getTime())
    throw validationError('A meeting is proposed for a time to come', [
      { path: 'startsAt', message: 'must be in the future', code: 'too_small' },
    ]);
  const iso = at.toISOString();
  const meeting: Meeting = {
    ...proposal,
    startsAt: new Date(proposal.startsAt).toISOString(),
    meetingId: ulid(at.getTime()),
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

const STAT_STATUSES: NeedStatus[] = ['DRAFT', 'SUBMITTED', 'RETURNED', 'PUBLISHED', 'REJECTED', 'WITHDRAWN'];

/**
 * The competition's needs figures, read from the stored records: its needs (every status), the answers,
 * meetings and deals on GSI1, and the answering entries as they stand now.
 */
export const competitionNeedStatistics = async (competitionId: string): Promise<NeedStatistics> => {
  // The answering entries are read as soon as the answers are known, while the rest is still loading.
  const answersRead = listActivity('ANSWERS', competitionId, ['needId', 'entryId', 'status']);
  const [needs, answers, meetings, deals, entries] = await Promise.all([
    Promise.all(STAT_STATUSES.map((s) => listNeedFigures(competitionId, s))).then((lists) => lists.flat()),
    answersRead,
    listActivity('MEETINGS', competitionId, ['needId', 'status']),
    listActivity('DEALS', competitionId, ['needId', 'status', 'amount']),
    answersRead.then((list) => getAnsweringEntries(list.map((a) => String(a.entryId)))),
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
