import { api } from '../runtime/http.ts';
import { awardRoutes } from '../routes/awards.ts';
import { AppError } from '../../shared/errors.ts';
import { getCompetition } from '../store/competitions.ts';
import { getAwards } from '../store/awards.ts';
import { decodeOffsetCursor, encodeOffsetCursor } from '../store/keys.ts';

/** The public results list: published awards with entry title and organization, by award. */
export const handler = api(awardRoutes.getResults, async ({ params, query }) => {
  const competition = await getCompetition(params.competitionId);
  const a = competition && competition.status !== 'DRAFT' ? await getAwards(params.competitionId) : undefined;
  if (!competition || !a || a.status !== 'PUBLISHED') throw new AppError(404, 'NOT_FOUND', 'No published results');
  const names = new Map([
    ...competition.awardPlan.tiers.map((t) => [t.tierId, t.name] as const),
    ...competition.awardPlan.specialAwards.map((s) => [s.awardId, s.name] as const),
  ]);
  const all = a.published ?? [];
  const list = `results#${params.competitionId}`;
  const from = decodeOffsetCursor(query.cursor, list);
  return {
    body: {
      competitionId: params.competitionId,
      publishedAt: a.publishedAt,
      total: all.length,
      nextCursor: encodeOffsetCursor(list, from + query.limit, all.length) ?? null,
      awards: all.slice(from, from + query.limit).map((w) => ({
        awardId: w.awardId,
        awardName: names.get(w.awardId),
        kind: w.kind,
        trackId: w.trackId,
        entryId: w.entryId,
        title: a.entries[w.entryId]?.title,
        organizationName: a.entries[w.entryId]?.organizationName,
      })),
    },
  };
});
