import type { Competition } from '../../shared/competition.ts';
import { checkVersion, verifyLink } from '../../shared/links.ts';
import type { Lang } from '../../shared/review/page.ts';
import type { SponsorPageModel } from '../../shared/awards/pages.ts';
import { getCompetition } from '../store/competitions.ts';
import { getAwards, type AwardRecord, type SponsorConfirmation } from '../store/awards.ts';
import { getProject, type ProjectRecord } from '../store/projects.ts';
import { linkKeys } from './link-keys.ts';

type LinkFailure = { ok: false; code: 'INVALID_LINK' | 'LINK_EXPIRED' | 'LINK_REVOKED' };

/** A sponsor's link grants its one challenge track's confirmation, nothing else. */
export const openSponsorLink = async (token: string, now: Date): Promise<{ ok: true; competition: Competition; awards: AwardRecord; confirmation: SponsorConfirmation } | LinkFailure> => {
  const signed = verifyLink(token, 'sponsor-confirmation', (await linkKeys()).verify, now);
  if (!signed.ok) return signed;
  const [competitionId, trackId] = signed.claims.subject.split('#');
  const [competition, awards] = await Promise.all([getCompetition(competitionId!), getAwards(competitionId!)]);
  const confirmation = awards?.confirmations.find((c) => c.trackId === trackId);
  const checked = checkVersion(signed, confirmation && { version: confirmation.linkVersion });
  if (!checked.ok) return checked;
  if (!competition || !awards || !confirmation) return { ok: false, code: 'INVALID_LINK' };
  return { ok: true, competition, awards, confirmation };
};

/** An appointee's link grants their one project's appointment. */
export const openAppointmentLink = async (token: string, now: Date): Promise<{ ok: true; competition: Competition; project: ProjectRecord } | LinkFailure> => {
  const signed = verifyLink(token, 'appointment', (await linkKeys()).verify, now);
  if (!signed.ok) return signed;
  const project = await getProject(signed.claims.subject);
  const checked = checkVersion(signed, project && { version: project.appointment.linkVersion });
  if (!checked.ok) return checked;
  const competition = project && (await getCompetition(project.competitionId));
  if (!project || !competition) return { ok: false, code: 'INVALID_LINK' };
  return { ok: true, competition, project };
};

export const linkStatus = (code: LinkFailure['code']) => (code === 'INVALID_LINK' ? 404 : 410);
export const langOf = (requested?: string): Lang => (requested === 'en' ? 'en' : 'zh');

/** What the sponsor's page shows: the track's need and the proposed tier winners with their final scores. */
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

