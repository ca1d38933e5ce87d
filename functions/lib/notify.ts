import { signLink, type LinkPurpose } from '../../shared/links.ts';
import { putOutboxMessage, type OutboxKind } from '../store/round-results.ts';
import { linkKeys } from './link-keys.ts';

const LINK_PATHS: Record<Exclude<LinkPurpose, 'review'>, string> = {
  'sponsor-confirmation': '/sponsor-confirmations/',
  appointment: '/appointments/',
};

/**
 * Queues an award or hand-off message (sponsor confirmation, appointment,
 * organizer notice) in the outbox, with a signed link when it needs one. The
 * stream delivers it like the review mail; the key makes a replay a no-op.
 */
export const queueNotice = async (m: {
  kind: OutboxKind;
  messageKey: string;
  to: string;
  language: 'zh' | 'en';
  competitionId: string;
  stage: 'awards' | 'handoff';
  closesAt: string;
  details: string[];
  link?: { purpose: Exclude<LinkPurpose, 'review'>; subject: string; version: number };
  at: Date;
}): Promise<boolean> => {
  const links = m.link
    ? [{ assignmentId: m.link.subject, path: `${LINK_PATHS[m.link.purpose]}${signLink({ purpose: m.link.purpose, subject: m.link.subject, version: m.link.version, expiresAt: new Date(m.closesAt) }, (await linkKeys()).current)}` }]
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
