import { AUDIT_SHARDS, checkChain } from '../../shared/audit.ts';
import { roundRoutes } from '../routes/rounds.ts';
import { api } from '../runtime/http.ts';
import { readAuditChains } from '../store/audit.ts';
import { requireCompetition } from '../store/competitions.ts';

/**
 * Verifies the audit record: every chain, record by record. `ok: false` names
 * the first problem found (shard, sequence number, what is wrong).
 */
export const handler = api(roundRoutes.adminVerifyAudit, async ({ params }) => {
  await requireCompetition(params.competitionId);
  const chains = await readAuditChains(params.competitionId);
  const problems = chains.flatMap((c) => {
    const problem = checkChain(c.shard, c.records, c.head);
    return problem ? [problem] : [];
  });
  const byType: Record<string, number> = {};
  for (const r of chains.flatMap((c) => c.records)) byType[r.type] = (byType[r.type] ?? 0) + 1;
  return {
    body: {
      competitionId: params.competitionId,
      ok: problems.length === 0,
      records: chains.reduce((n, c) => n + c.records.length, 0),
      shards: AUDIT_SHARDS,
      byType,
      ...(problems.length ? { firstProblem: problems[0], problems } : {}),
    },
  };
});
