import { api } from '../runtime/http.ts';
import { entryRoutes } from '../routes/entries.ts';
import { loadOwnedEntry, ownerView } from '../services/entry-access.ts';
import { getCompetition } from '../store/competitions.ts';
import { getAwards } from '../store/awards.ts';
import { answererNeedView } from '../../shared/needs.ts';
import { getNeed } from '../store/needs.ts';

/** The applicant's own entry; once the awards are published, with its result (rank, score, awards). */
export const handler = api(entryRoutes.getEntry, async ({ params, headers }) => {
  const entry = await loadOwnedEntry(params.entryId, headers);
  // 揭榜: the need it answers, with the part shown only to answering solvers.
  const answered = entry.needId ? await getNeed(entry.needId) : undefined;
  const need = answered ? { need: answererNeedView(answered) } : {};
  const awards = await getAwards(entry.competitionId);
  if (awards?.status !== 'PUBLISHED') return { body: { entry: ownerView(entry), ...need } };
  const competition = await getCompetition(entry.competitionId);
  const names = new Map([
    ...(competition?.awardPlan.tiers ?? []).map((t) => [t.tierId, t.name] as const),
    ...(competition?.awardPlan.specialAwards ?? []).map((s) => [s.awardId, s.name] as const),
  ]);
  const ranked = awards.proposal.ranking.find((r) => r.entryId === entry.entryId);
  const result = {
    publishedAt: awards.publishedAt,
    finalist: !!ranked,
    ...(ranked ? { rank: ranked.rank, trackRank: ranked.trackRank, score: ranked.score } : {}),
    awards: (awards.published ?? [])
      .filter((a) => a.entryId === entry.entryId)
      .map((a) => ({ awardId: a.awardId, kind: a.kind, name: names.get(a.awardId) })),
  };
  return { body: { entry: ownerView(entry), ...need, result } };
});
