import { ulid } from 'ulid';
import { notFound } from '../../shared/errors.ts';
import type { NeedStatus } from '../../shared/needs.ts';
import type { NeedRecord } from '../store/needs.ts';
import { sha256 } from '../../shared/tokens.ts';
import { now } from '../runtime/clock.ts';
import { needRoutes } from '../routes/needs.ts';
import { idempotentApi } from '../services/idempotency.ts';
import { assertFitsCompetition, normalizedContent, ownerNeedView, sponsorTokenOf } from '../services/needs.ts';
import { getCompetitionCached } from '../store/competitions.ts';
import { createNeed } from '../store/needs.ts';

/**
 * 企业出题: a company posts a need. The answer carries the sponsor token once; the idempotency record keeps
 * the answer without it, and a replay derives it again from the need id.
 */
export const handler = idempotentApi(
  needRoutes.postNeed,
  async ({ params, body }) => {
    const at = now();
    const competition = await getCompetitionCached(params.competitionId);
    if (!competition || competition.status === 'DRAFT') throw notFound('Competition');
    const { submit, ...content } = body;
    assertFitsCompetition(content, competition, at);
    const needId = ulid(at.getTime());
    const token = await sponsorTokenOf(needId);
    const iso = at.toISOString();
    const status: NeedStatus = submit ? 'SUBMITTED' : 'DRAFT';
    const record: NeedRecord = {
      ...normalizedContent(content),
      needId,
      competitionId: competition.competitionId,
      status,
      createdAt: iso,
      updatedAt: iso,
      ...(submit ? { submittedAt: iso } : {}),
      history: [
        { at: iso, by: 'SPONSOR', action: 'CREATED', status: 'DRAFT' },
        ...(submit ? [{ at: iso, by: 'SPONSOR' as const, action: 'SUBMITTED' as const, status }] : []),
      ],
      tokenHash: sha256(token),
      version: 1,
    };
    await createNeed(record);
    return { status: 201, body: { need: ownerNeedView(record), sponsorToken: token } };
  },
  {
    atRest: ({ sponsorToken: _t, ...rest }: { sponsorToken?: string }) => rest,
    fromRest: async (body: { need: { needId: string } }) => ({
      ...body,
      sponsorToken: await sponsorTokenOf(body.need.needId),
    }),
  },
);
