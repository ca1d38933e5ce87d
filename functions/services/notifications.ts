import type { LinkPurpose } from '../../shared/links.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { type ApplicantEvent, applicantNoticeDetails, applicantNoticeKey } from '../../shared/applicant-notices.ts';
import { type Competition, type CompetitionConfig, intakeRoundOf } from '../../shared/competition.ts';
import type { Entry } from '../../shared/entry.ts';
import type { TxItem } from '../store/audit.ts';
import {
  outboxMessageKey,
  outboxPutWithEvent,
  putOutboxMessage,
  type OutboxKind,
  type OutboxMessage,
} from '../store/outbox.ts';
import { forEachConcurrently } from '../runtime/concurrency.ts';
import type { ProjectRecord } from '../store/projects.ts';
import { workspaceLinkOf } from '../../shared/funding/workspace.ts';
import { expertHomeIdOf, getExpertHome } from '../store/expert-homes.ts';

/**
 * Messages go to the outbox, each under a key that makes a replayed step a
 * no-op; the table's stream delivers them. The outbox keeps what a link is
 * for (subject, purpose, link version, expiry); the delivery function signs it
 * when it sends, so no working link is ever stored.
 */

/**
 * A message to an expert about their reviews in a round: it carries the one link to their home in the
 * round (at the home's link version, in the language they chose there), which lists every review with
 * its own link; for WITHDRAWN, also the assignments taken back. Assignments made before homes existed
 * have none: their messages carry one review link each, as they did.
 */
export const queueReviewMessage = async (m: {
  kind: OutboxKind;
  messageKey: string;
  expert: Pick<Expert, 'email' | 'languages'> | { email: string; languages?: string[] };
  competitionId: string;
  roundId: string;
  closesAt: string;
  assignments: Array<{ assignmentId: string; linkVersion: number }>;
  hoursBefore?: number;
  at: Date;
}): Promise<boolean> => {
  const home = await getExpertHome(expertHomeIdOf(m.competitionId, m.roundId, m.expert.email));
  const homeLink = home && {
    assignmentId: home.homeId,
    purpose: 'expert-home' as const,
    version: home.linkVersion,
    expiresAt: m.closesAt,
  };
  // The reviews the message is about are named (no link: the home lists them with theirs), then the home's link.
  const links =
    m.kind === 'WITHDRAWN' || homeLink
      ? [...m.assignments.map((a) => ({ assignmentId: a.assignmentId })), ...(homeLink ? [homeLink] : [])]
      : m.assignments.map((a) => ({
          assignmentId: a.assignmentId,
          purpose: 'review' as const,
          version: a.linkVersion,
          expiresAt: m.closesAt,
        }));
  return putOutboxMessage({
    kind: m.kind,
    messageKey: m.messageKey,
    expertEmail: m.expert.email,
    competitionId: m.competitionId,
    roundId: m.roundId,
    language: home?.language ?? (m.expert.languages?.[0] === 'en' ? 'en' : 'zh'),
    links,
    reviews: m.assignments.length,
    closesAt: m.closesAt,
    ...(m.hoursBefore !== undefined ? { hoursBefore: m.hoursBefore } : {}),
    createdAt: m.at.toISOString(),
  });
};

/**
 * An award or hand-off message (sponsor confirmation, appointment, organizer
 * notice), with a signed link when it needs one.
 */
export const queueNotice = async (m: {
  kind: OutboxKind;
  messageKey: string;
  to: string;
  language: 'zh' | 'en';
  competitionId: string;
  stage: 'awards' | 'handoff' | 'needs';
  closesAt: string;
  details: string[];
  link?: { purpose: Exclude<LinkPurpose, 'review'>; subject: string; version: number };
  at: Date;
}): Promise<boolean> => {
  const links = m.link
    ? [{ assignmentId: m.link.subject, purpose: m.link.purpose, version: m.link.version, expiresAt: m.closesAt }]
    : [];
  return putOutboxMessage({
    kind: m.kind,
    messageKey: m.messageKey,
    expertEmail: m.to,
    competitionId: m.competitionId,
    roundId: m.stage,
    language: m.language,
    details: m.details,
    links,
    closesAt: m.closesAt,
    createdAt: m.at.toISOString(),
  });
};

/** Whether the competition mails its applicants (a record from before the switch existed: yes). */
export const notifiesApplicants = (c: Pick<CompetitionConfig, 'notifications'>) =>
  c.notifications?.applicants !== false;

/**
 * The message telling an entry's lead what happened, in the entry's language; undefined when the
 * competition does not mail its applicants. The entry submitted and its screening belong to the intake
 * round's outbox, a round's outcome to that round's, an award to "awards".
 */
export const applicantNotice = (
  c: Competition,
  entry: Pick<Entry, 'entryId' | 'title' | 'trackId' | 'language' | 'applicant'>,
  event: ApplicantEvent,
  at: Date,
): OutboxMessage | undefined => {
  if (!notifiesApplicants(c)) return undefined;
  const intake = intakeRoundOf(c);
  const track = c.tracks.find((t) => t.trackId === entry.trackId);
  const stage = event.kind === 'ROUND_RESULT' ? event.roundId : event.kind === 'AWARD_WON' ? 'awards' : intake.roundId;
  return {
    kind: event.kind,
    messageKey: applicantNoticeKey(entry.entryId, event),
    expertEmail: entry.applicant.lead.email,
    competitionId: c.competitionId,
    roundId: stage,
    language: entry.language,
    details: applicantNoticeDetails(
      { entryId: entry.entryId, title: entry.title, trackName: track?.name ?? { zh: entry.trackId } },
      event,
      entry.language,
    ),
    links: [],
    // Quoted by the submission notice: until when the entry can still change.
    closesAt: event.kind === 'ENTRY_SUBMITTED' ? intake.submissionDeadline : at.toISOString(),
    createdAt: at.toISOString(),
  };
};

/** Queues many applicants' messages (each once per key: a replayed step queues nothing twice). */
export const queueApplicantNotices = async (messages: Array<OutboxMessage | undefined>) => {
  const queue = messages.filter((m): m is OutboxMessage => m !== undefined);
  let queued = 0;
  await forEachConcurrently(queue, 16, async (m) => {
    if (await putOutboxMessage(m)) queued++;
  });
  return queued;
};

/** The applicant's message as a put for the transaction that makes its event happen (none when switched off). */
export const applicantNoticePut = (...args: Parameters<typeof applicantNotice>) => {
  const m = applicantNotice(...args);
  return m ? (outboxPutWithEvent(m) as TxItem) : undefined;
};

/** The mail that gives a manager their workspace link (once per link version). */
export const queueWorkspaceLink = (project: ProjectRecord, language: 'zh' | 'en', at: Date) => {
  const { version, expiresAt } = workspaceLinkOf(project);
  return queueNotice({
    kind: 'PROJECT_WORKSPACE',
    messageKey: outboxMessageKey.workspace(project.projectId, version),
    to: project.manager.email,
    language,
    competitionId: project.competitionId,
    stage: 'handoff',
    closesAt: expiresAt.toISOString(),
    details: [project.title],
    link: { purpose: 'project-manager', subject: project.projectId, version },
    at,
  });
};
