import { confirmationKey } from '../../shared/awards/sponsor-confirmation.ts';
import type { Competition, ReviewRound } from '../../shared/competition.ts';
import { renderLinkError, type LinkFailureCode } from '../../shared/link-pages.ts';
import { checkVersion, signLink, verifyLink, type LinkPurpose } from '../../shared/links.ts';
import type { Lang } from '../../shared/review/page.ts';
import { linkKeys } from '../runtime/secret-keys.ts';
import { getAwards, type AwardRecord, type SponsorConfirmation } from '../store/awards.ts';
import { getCompetition } from '../store/competitions.ts';
import { getEntryRecord, type EntryRecord } from '../store/entries.ts';
import { getExpert } from '../store/experts.ts';
import { getNeed, type NeedRecord } from '../store/needs.ts';
import { getProject, type ProjectRecord } from '../store/projects.ts';
import { workspaceLinkOf } from '../../shared/funding/workspace.ts';
import { getAssignment, type AssignmentRecord } from '../store/reviews.ts';
import { expertHomeIdOf, getExpertHome, homeAssignments, type ExpertHomeRecord } from '../store/expert-homes.ts';
import { getRoundRun } from '../store/rounds.ts';

/**
 * One signed-link service for every purpose. Opening a link is always the same
 * sequence — verify signature, purpose and expiry → find the subject the token
 * names → compare its link version (revocation) → load what the page needs →
 * choose the language — and a failure always maps to the same statuses and
 * error page. Each purpose only says how to find and expand its subject.
 */
export interface LinkSubject<Found, Opened> {
  purpose: LinkPurpose;
  /** The record the token names (an assignment, a confirmation, a project). */
  find(subject: string): Promise<Found | undefined>;
  /** Its current link version; a revoked subject refuses every link. */
  version(found: Found): { version: number; revoked?: boolean };
  /** Everything else the page needs; undefined when something is gone (then the link is invalid). */
  expand(found: Found, now: Date): Promise<Opened | undefined>;
  /** The reader's preferred language, when the request names none. */
  language?(opened: Opened): Promise<Lang | undefined>;
}

export interface OpenedReview {
  assignment: AssignmentRecord;
  entry: EntryRecord;
  competition: Competition;
  round: ReviewRound;
  /** The form is offered: the round is open, not tallied, and the review not declined. */
  open: boolean;
  /** The round has been tallied: its reviews are final. */
  frozen: boolean;
}

export interface OpenedSponsorConfirmation {
  competition: Competition;
  awards: AwardRecord;
  confirmation: SponsorConfirmation;
}

export interface OpenedAppointment {
  competition: Competition;
  project: ProjectRecord;
}

/** A review link grants its one assignment, that assignment's entry and the round's rubric. */
export const reviewLinks: LinkSubject<AssignmentRecord, OpenedReview> = {
  purpose: 'review',
  find: getAssignment,
  version: (a) => ({ version: a.linkVersion, revoked: a.status === 'REVOKED' }),
  expand: async (assignment, now) => {
    const [entry, competition, run] = await Promise.all([
      getEntryRecord(assignment.entryId),
      getCompetition(assignment.competitionId),
      getRoundRun(assignment.competitionId, assignment.roundId),
    ]);
    const round = competition?.rounds.find((r) => r.roundId === assignment.roundId);
    if (!entry || !competition || !round || round.kind === 'INTAKE') return undefined;
    const frozen = run?.frozenAt !== undefined || run?.status === 'TALLIED';
    const open = !frozen && now.getTime() < Date.parse(round.reviewClosesAt) && assignment.status !== 'DECLINED';
    return { assignment, entry, competition, round, open, frozen };
  },
  // The language the expert chose on their home for the round, else their profile's.
  language: async ({ assignment: a }) =>
    (await getExpertHome(expertHomeIdOf(a.competitionId, a.roundId, a.expertEmail)))?.language ??
    ((await getExpert(a.expertEmail))?.languages[0] === 'en' ? 'en' : 'zh'),
};

export interface OpenedExpertHome {
  home: ExpertHomeRecord;
  competition: Competition;
  round: ReviewRound;
  /** The expert's assignments in the round, oldest first. */
  assignments: AssignmentRecord[];
  /** Reviews can still be given or declined: the round is open and not tallied. */
  open: boolean;
  frozen: boolean;
}

/** An expert-home link grants the expert's own page of one round: their assignments, nothing else. */
export const expertHomeLinks: LinkSubject<ExpertHomeRecord, OpenedExpertHome> = {
  purpose: 'expert-home',
  find: getExpertHome,
  version: (home) => ({ version: home.linkVersion }),
  expand: async (home, now) => {
    const [competition, run, assignments] = await Promise.all([
      getCompetition(home.competitionId),
      getRoundRun(home.competitionId, home.roundId),
      homeAssignments(home.homeId),
    ]);
    const round = competition?.rounds.find((r) => r.roundId === home.roundId);
    if (!competition || !round || round.kind === 'INTAKE') return undefined;
    const frozen = run?.frozenAt !== undefined || run?.status === 'TALLIED';
    const open = !frozen && now.getTime() < Date.parse(round.reviewClosesAt);
    return { home, competition, round, assignments, open, frozen };
  },
  language: async ({ home }) =>
    home.language ?? ((await getExpert(home.expertEmail))?.languages[0] === 'en' ? 'en' : 'zh'),
};

/**
 * A sponsor's link grants its one confirmation: of a challenge track or of a need (subject
 * `<competitionId>#<trackId>` or `<competitionId>#need-<needId>`).
 */
export const sponsorConfirmationLinks: LinkSubject<
  { awards: AwardRecord; confirmation: SponsorConfirmation },
  OpenedSponsorConfirmation
> = {
  purpose: 'sponsor-confirmation',
  find: async (subject) => {
    const [competitionId, key] = subject.split('#');
    const awards = await getAwards(competitionId!);
    const confirmation = awards?.confirmations.find((c) => confirmationKey(c) === key);
    return awards && confirmation ? { awards, confirmation } : undefined;
  },
  version: ({ confirmation }) => ({ version: confirmation.linkVersion }),
  expand: async ({ awards, confirmation }) => {
    const competition = await getCompetition(awards.competitionId);
    return competition && { competition, awards, confirmation };
  },
};

/** An appointee's link grants their one project's appointment. */
export const appointmentLinks: LinkSubject<ProjectRecord, OpenedAppointment> = {
  purpose: 'appointment',
  find: getProject,
  version: (project) => ({ version: project.appointment.linkVersion }),
  expand: async (project) => {
    const competition = await getCompetition(project.competitionId);
    return competition && { competition, project };
  },
};

/**
 * The project manager's workspace link (and bearer token): their one project, from the appointment's
 * acceptance to the end of the term (acceptance + the term's months). Nothing before acceptance.
 */
export const projectManagerLinks: LinkSubject<ProjectRecord, OpenedAppointment> = {
  purpose: 'project-manager',
  find: getProject,
  version: (project) => ({ version: workspaceLinkOf(project).version }),
  expand: async (project) => {
    if (!project.appointment.answer?.accepted) return undefined;
    const competition = await getCompetition(project.competitionId);
    return competition && { competition, project };
  },
};

export interface OpenedNeedSponsor {
  competition: Competition;
  need: NeedRecord;
}

/** A need sponsor's link grants its one need: the answers to it, their documents, the shortlist. */
export const needSponsorLinks: LinkSubject<NeedRecord, OpenedNeedSponsor> = {
  purpose: 'need-sponsor',
  find: getNeed,
  version: (need) => ({ version: need.linkVersion ?? 1 }),
  expand: async (need) => {
    const competition = await getCompetition(need.competitionId);
    return competition && { competition, need };
  },
};

/** Where each purpose's page is served (the token follows). */
const LINK_PATHS: Record<LinkPurpose, string> = {
  review: '/review/',
  'expert-home': '/experts/',
  'sponsor-confirmation': '/sponsor-confirmations/',
  appointment: '/appointments/',
  'project-manager': '/project-manager/',
  'need-sponsor': '/need-sponsor/',
};

export type LinkFailure = { ok: false; purpose: LinkPurpose; code: LinkFailureCode; lang: Lang };
export type OpenedLink<Opened> = ({ ok: true; lang: Lang } & Opened) | LinkFailure;

/**
 * Opens a link of one purpose. Each route passes the subject it serves (not a
 * purpose name), so its bundle carries only that purpose's stores.
 */
export const openLink = async <Found, Opened>(
  subject: LinkSubject<Found, Opened>,
  token: string,
  now: Date,
  requestedLang?: Lang,
): Promise<OpenedLink<Opened>> => {
  const { purpose } = subject;
  const fail = (code: LinkFailureCode): LinkFailure => ({ ok: false, purpose, code, lang: requestedLang ?? 'zh' });
  const signed = verifyLink(token, purpose, (await linkKeys()).verify, now);
  if (!signed.ok) return fail(signed.code);
  const found = await subject.find(signed.claims.subject);
  const checked = checkVersion(signed, found === undefined ? undefined : subject.version(found));
  if (!checked.ok) return fail(checked.code);
  const opened = await subject.expand(found as Found, now);
  if (!opened) return fail('INVALID_LINK');
  const lang = requestedLang ?? (await subject.language?.(opened)) ?? 'zh';
  return { ok: true, lang, ...opened };
};

/** A link that does not open: 404 when it never named anything, 410 when it expired or was revoked. */
export const linkFailurePage = (failure: Pick<LinkFailure, 'purpose' | 'code' | 'lang'>) => ({
  status: failure.code === 'INVALID_LINK' ? 404 : 410,
  html: renderLinkError(failure.purpose, failure.code, failure.lang),
});

/** A signed link's path (the API's base URL goes in front), valid until `expiresAt` at `version`. */
export const mintLinkPath = async (purpose: LinkPurpose, subject: string, version: number, expiresAt: Date) =>
  `${LINK_PATHS[purpose]}${signLink({ purpose, subject, version, expiresAt }, (await linkKeys()).current)}`;

/** The language a page is asked for (`?lang=` or the form's `lang`), if it is one we speak. */
export const requestedLanguage = (requested?: string): Lang | undefined =>
  requested === 'en' || requested === 'zh' ? requested : undefined;
