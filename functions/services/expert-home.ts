import { isAppError } from '../../shared/errors.ts';
import type { Lang } from '../../shared/review/page.ts';
import { homeItemStatus, type ExpertHomeModel } from '../../shared/review/expert-home.ts';
import { reviewerView } from '../../shared/review/review-form.ts';
import { forEachConcurrently } from '../runtime/concurrency.ts';
import { recordMetric } from '../runtime/metrics.ts';
import { getEntryRecords } from '../store/entries.ts';
import { recordRoundDeclined } from '../store/expert-homes.ts';
import { declareConflict } from '../store/reviews.ts';
import { reviewWait } from '../store/rounds.ts';
import { resumeIfReady } from './callbacks.ts';
import { readableDocuments } from './document-access.ts';
import { mintLinkPath, type OpenedExpertHome } from './signed-links.ts';

/**
 * What the expert's home shows: each assignment with the entry as its review page shows it (blinded
 * in a blind round), its status, the documents the reviewer can open, and a freshly signed review
 * link (at the assignment's current version, expiring with the round — as the mails signed them).
 */
export const expertHomeModel = async (
  link: OpenedExpertHome & { lang: Lang },
  action: string,
  rest: Pick<ExpertHomeModel, 'saved' | 'errors' | 'reason'> = {},
): Promise<ExpertHomeModel> => {
  const { competition, round, home, assignments } = link;
  const entries = new Map(
    (await getEntryRecords([...new Set(assignments.map((a) => a.entryId))])).map((e) => [e.entryId, e]),
  );
  const documents = new Map<string, number>();
  await forEachConcurrently([...entries.keys()], 8, async (entryId) => {
    documents.set(entryId, (await readableDocuments(entryId, round.blind)).length);
  });
  const closes = new Date(round.reviewClosesAt);
  const items = await Promise.all(
    assignments.flatMap((a) => {
      const entry = entries.get(a.entryId);
      if (!entry) return [];
      const status = homeItemStatus(a);
      return [
        (async () => ({
          title: reviewerView(entry, round.blind).title,
          track: competition.tracks.find((t) => t.trackId === a.trackId)?.name ?? { zh: a.trackId },
          status,
          documents: documents.get(a.entryId) ?? 0,
          ...(status === 'withdrawn'
            ? {}
            : { href: await mintLinkPath('review', a.assignmentId, a.linkVersion, closes) }),
        }))(),
      ];
    }),
  );
  return {
    lang: link.lang,
    action,
    competitionTitle: competition.title,
    roundName: round.name,
    closesAt: round.reviewClosesAt,
    blind: round.blind,
    open: link.open,
    frozen: link.frozen,
    ...(home.declinedAt ? { declined: { at: home.declinedAt, reason: home.declineReason } } : {}),
    items,
    ...rest,
  };
};

/**
 * The expert declines the whole round: every review still pending is declined as a conflict
 * declaration would decline it (marked as the round's, so the follow-up step gives this expert no
 * backup), then the home records the decline. A retry finds the declined reviews declined and the
 * decline recorded, and changes nothing. A review submitted meanwhile stays submitted.
 */
export const declineRound = async (link: OpenedExpertHome, reason: string, at: Date) => {
  const { home } = link;
  let declined = 0;
  let completedRound = false;
  for (const a of link.assignments.filter((x) => x.status === 'PENDING')) {
    try {
      const r = await declareConflict(a.assignmentId, a.linkVersion, `declined the round: ${reason}`, at, true);
      if (r.counted) {
        declined++;
        recordMetric('ReviewsDeclined', { competitionId: home.competitionId, roundId: home.roundId });
      }
      completedRound ||= r.completedRound;
    } catch (e) {
      // Submitted or reassigned since the page was read: nothing to decline.
      if (!(isAppError(e) && (e.code === 'NOT_PENDING' || e.code === 'LINK_REVOKED'))) throw e;
    }
  }
  await recordRoundDeclined(home.homeId, reason, at);
  // If every other review was in, these declines complete the round: wake its workflow (once).
  if (completedRound)
    await resumeIfReady(reviewWait(home.competitionId, home.roundId), {
      competitionId: home.competitionId,
      roundId: home.roundId,
    });
  return { declined };
};
