import type { SponsorPageModel } from '../../shared/awards/pages.ts';
import type { EntryDocument } from '../../shared/documents.ts';
import { renderReviewPage, type Lang, type ReviewPageModel } from '../../shared/review/page.ts';
import { reviewerView } from '../../shared/review/review-form.ts';
import type { OpenedReview, OpenedSponsorConfirmation } from './signed-links.ts';

/** The reviewer page for an opened link; callers add what differs (values, status, errors). */
export const reviewPage = (
  link: OpenedReview & { lang: Lang },
  action: string,
  rest: Pick<ReviewPageModel, 'values' | 'status' | 'errors' | 'files'>,
) =>
  renderReviewPage({
    lang: link.lang,
    action,
    competitionTitle: link.competition.title,
    roundName: link.round.name,
    blind: link.round.blind,
    closesAt: link.round.reviewClosesAt,
    open: link.open,
    frozen: link.frozen,
    entry: reviewerView(link.entry, link.round.blind),
    criteria: link.competition.rubric.criteria,
    ...rest,
  });

/**
 * What the sponsor's page shows: the track's need and the proposed tier winners with their final
 * scores and the solutions' documents (`documents` by entry id, from `winnersDocuments`).
 */
export const sponsorPageModel = (
  link: OpenedSponsorConfirmation,
  lang: Lang,
  action: string,
  documents: Map<string, EntryDocument[]>,
): SponsorPageModel => {
  const { competition, awards, confirmation: c } = link;
  const track = competition.tracks.find((t) => t.trackId === c.trackId);
  const score = new Map(awards.proposal.ranking.map((r) => [r.entryId, r.score]));
  const tierOf = (entryId: string) => {
    const tierId = awards.proposal.awards.find((a) => a.entryId === entryId && a.kind === 'TIER')?.awardId;
    return { tierId, tier: competition.awardPlan.tiers.find((t) => t.tierId === tierId) };
  };
  return {
    lang,
    action,
    competitionTitle: competition.title,
    // A need's sponsor sees its need; a challenge sponsor its track and the need it posted there.
    trackName: c.need?.title ?? track?.name ?? { zh: c.trackId },
    need: c.need?.description ?? (track?.kind === 'CHALLENGE' ? track.need : { zh: '' }),
    winners: c.entryIds.map((id) => {
      const { tierId, tier } = tierOf(id);
      return {
        awardName: tier?.name ?? { zh: tierId ?? '' },
        title: awards.entries[id]?.title ?? id,
        organizationName: awards.entries[id]?.organizationName ?? '',
        score: score.get(id) ?? 0,
        files: (documents.get(id) ?? []).map((d) => ({
          type: d.type,
          name: d.fileName,
          size: d.actualSize ?? d.size,
          ...(d.pages ? { pages: d.pages } : {}),
          href: `${action}/documents/${d.documentId}`,
        })),
      };
    }),
    closesAt: awards.confirmationClosesAt ?? '',
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
  };
};
