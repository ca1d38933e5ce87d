import { signLink } from '../../shared/links.ts';
import type { Expert } from '../../shared/review/experts.ts';
import { putOutboxMessage, type OutboxKind } from '../store/round-results.ts';
import { linkKeys } from './link-keys.ts';

/**
 * Queues an outbox message to an expert with signed review links (one per
 * assignment, expiring when the round closes, at the assignment's link
 * version). The delivery function sends it; a replayed step writes nothing new.
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
  const { current } = await linkKeys();
  const expiresAt = new Date(m.closesAt);
  const links = m.assignments.map((a) =>
    m.kind === 'WITHDRAWN'
      ? { assignmentId: a.assignmentId }
      : { assignmentId: a.assignmentId, path: `/review/${signLink({ purpose: 'review', subject: a.assignmentId, version: a.linkVersion, expiresAt }, current)}` },
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
