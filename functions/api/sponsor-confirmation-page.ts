import { api } from '../lib/http.ts';
import { now } from '../lib/clock.ts';
import { langOf, linkStatus, openSponsorLink } from '../lib/award-links.ts';
import { awardRoutes } from '../routes/awards.ts';
import { renderAwardLinkError, renderSponsorPage, type SponsorPageModel } from '../../shared/awards/pages.ts';
import type { Competition } from '../../shared/competition.ts';
import type { AwardRecord, SponsorConfirmation } from '../store/awards.ts';

export const sponsorPageModel = (competition: Competition, awards: AwardRecord, c: SponsorConfirmation, lang: 'zh' | 'en', action: string): SponsorPageModel => {
  const track = competition.tracks.find((t) => t.trackId === c.trackId)!;
  const score = new Map(awards.proposal.ranking.map((r) => [r.entryId, r.score]));
  return {
    lang,
    action,
    competitionTitle: competition.title,
    trackName: track.name,
    need: track.kind === 'CHALLENGE' ? track.need : { zh: '' },
    winners: c.entryIds.map((id) => {
      const tierId = awards.proposal.awards.find((a) => a.entryId === id && a.kind === 'TIER')?.awardId;
      const tier = competition.awardPlan.tiers.find((t) => t.tierId === tierId);
      return { awardName: tier?.name ?? { zh: tierId ?? '' }, title: awards.entries[id]?.title ?? id, organizationName: awards.entries[id]?.organizationName ?? '', score: score.get(id) ?? 0 };
    }),
    closesAt: awards.confirmationClosesAt ?? '',
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
  };
};

/** GET shows the winners to confirm and changes nothing. */
export const handler = api(awardRoutes.getSponsorConfirmation, async ({ params, query, event }) => {
  const lang = langOf(query.lang);
  const link = await openSponsorLink(params.token, now());
  if (!link.ok) return { status: linkStatus(link.code), html: renderAwardLinkError(link.code, lang) };
  return { html: renderSponsorPage(sponsorPageModel(link.competition, link.awards, link.confirmation, lang, event.rawPath)) };
});
