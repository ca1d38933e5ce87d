import type { Competition, Round } from '../../shared/competition.ts';
import { checkVersion, verifyLink } from '../../shared/links.ts';
import { renderReviewPage, type Lang, type ReviewPageModel } from '../../shared/review/page.ts';
import { reviewerView } from '../../shared/review/review-form.ts';
import { getCompetition } from '../store/competitions.ts';
import { getEntryRecord, type EntryRecord } from '../store/entries.ts';
import { getExpert } from '../store/experts.ts';
import { getAssignment, type AssignmentRecord } from '../store/reviews.ts';
import { linkKeys } from './link-keys.ts';

type ReviewRound = Extract<Round, { reviewersPerEntry: number }>;

export type OpenedLink =
  | { ok: true; assignment: AssignmentRecord; entry: EntryRecord; competition: Competition; round: ReviewRound; lang: Lang; open: boolean }
  | { ok: false; code: 'INVALID_LINK' | 'LINK_EXPIRED' | 'LINK_REVOKED'; lang: Lang };

/**
 * Everything a review link grants, and nothing more: its one assignment, that
 * assignment's entry and the round's rubric. Signature, purpose, expiry and
 * version are checked before anything is read for the caller.
 */
export const openReviewLink = async (token: string, now: Date, requestedLang?: Lang): Promise<OpenedLink> => {
  const keys = await linkKeys();
  const fallback: Lang = requestedLang ?? 'zh';
  const signed = verifyLink(token, 'review', keys.verify, now);
  if (!signed.ok) return { ok: false, code: signed.code, lang: fallback };
  const assignment = await getAssignment(signed.claims.subject);
  const checked = checkVersion(signed, assignment && { version: assignment.linkVersion, revoked: assignment.status === 'REVOKED' });
  if (!checked.ok || !assignment) return { ok: false, code: checked.ok ? 'INVALID_LINK' : checked.code, lang: fallback };
  const [entry, competition, expert] = await Promise.all([getEntryRecord(assignment.entryId), getCompetition(assignment.competitionId), requestedLang ? undefined : getExpert(assignment.expertEmail)]);
  const round = competition?.rounds.find((r) => r.roundId === assignment.roundId);
  if (!entry || !competition || !round || round.kind === 'INTAKE') return { ok: false, code: 'INVALID_LINK', lang: fallback };
  const lang: Lang = requestedLang ?? (expert?.languages[0] === 'en' ? 'en' : 'zh');
  return { ok: true, assignment, entry, competition, round, lang, open: now.getTime() < Date.parse(round.reviewClosesAt) && assignment.status !== 'DECLINED' };
};

export const linkErrorStatus = (code: 'INVALID_LINK' | 'LINK_EXPIRED' | 'LINK_REVOKED') => (code === 'INVALID_LINK' ? 404 : 410);

/** The reviewer page for an opened link; callers add what differs (values, status, errors). */
export const reviewPage = (link: Extract<OpenedLink, { ok: true }>, action: string, rest: Pick<ReviewPageModel, 'values' | 'status' | 'errors'>) =>
  renderReviewPage({
    lang: link.lang,
    action,
    competitionTitle: link.competition.title,
    roundName: link.round.name,
    blind: link.round.blind,
    closesAt: link.round.reviewClosesAt,
    open: link.open,
    entry: reviewerView(link.entry, link.round.blind),
    criteria: link.competition.rubric.criteria,
    ...rest,
  });
