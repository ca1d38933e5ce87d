import type { LinkPurpose } from '../../shared/links.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { putOutboxMessage, type OutboxKind } from '../store/outbox.ts';

/**
 * Messages go to the outbox, each under a key that makes a replayed step a
 * no-op; the table's stream delivers them. The outbox keeps what a link is
 * for (subject, purpose, link version, expiry); the delivery function signs it
 * when it sends, so no working link is ever stored.
 */

/**
 * A message to an expert with one review link per assignment (at the
 * assignment's link version), or, for WITHDRAWN, the assignments taken back.
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
  const links = m.assignments.map((a) =>
    m.kind === 'WITHDRAWN'
      ? { assignmentId: a.assignmentId }
      : { assignmentId: a.assignmentId, purpose: 'review' as const, version: a.linkVersion, expiresAt: m.closesAt },
  );
  return putOutboxMessage({
    kind: m.kind,
    messageKey: m.messageKey,
    expertEmail: m.expert.email,
    competitionId: m.competitionId,
    roundId: m.roundId,
    language: m.expert.languages?.[0] === 'en' ? 'en' : 'zh',
    links,
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
