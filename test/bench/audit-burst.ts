import { readAuditChains } from '../../functions/store/audit.ts';
import { assignmentIdOf, createAssignments, submitReview } from '../../functions/store/reviews.ts';
import { AUDIT_SHARDS, checkChain } from '../../shared/audit.ts';

/**
 * `n` reviews submitted at the same moment on the running local stack, each
 * with its audit record in the same transaction: all must be counted; the
 * retries show how much the audit chains contend.
 */
export const auditBurst = async (n: number) => {
  const competitionId = `bench-audit-${n}`;
  const burst = Array.from({ length: n }, (_, k) => ({
    entryId: `B${k}`,
    trackId: 'ic',
    expertEmail: `burst${k % 100}@example.com`,
  }));
  await createAssignments(competitionId, 'preliminary', burst, new Date());
  const burstStarted = Date.now();
  const outcomes = await Promise.all(
    burst.map((p, k) =>
      submitReview(
        assignmentIdOf(competitionId, 'preliminary', p.entryId, p.expertEmail),
        1,
        { innovation: 50 + (k % 50) },
        undefined,
        new Date(),
      ).then(
        (r) => ({ ok: r.counted, attempts: r.attempts ?? 1 }),
        (e: Error) => ({ ok: false, attempts: Number.POSITIVE_INFINITY, error: e.name }),
      ),
    ),
  );
  const burstMs = Date.now() - burstStarted;
  const chains = await readAuditChains(competitionId);
  const intact = chains.every((c) => !checkChain(c.shard, c.records, c.head));
  const attempts = outcomes.map((o) => o.attempts).sort((a, b) => a - b);
  console.log(`\n## ${n} concurrent review submissions with their audit records (${AUDIT_SHARDS} chains)\n`);
  console.log('| measure | value |');
  console.log('|---|---:|');
  console.log(`| submissions counted | ${outcomes.filter((o) => o.ok).length} of ${burst.length} |`);
  console.log(`| audit records | ${chains.reduce((n, c) => n + c.records.length, 0)} (chains intact: ${intact}) |`);
  console.log(`| retries (attempts beyond the first) | ${attempts.reduce((n, a) => n + a - 1, 0)} |`);
  console.log(
    `| attempts per submission p50 / p99 / max | ${attempts[Math.floor(n / 2)]} / ${attempts[Math.floor(n * 0.99)]} / ${attempts[n - 1]} |`,
  );
  console.log(`| wall time for all ${n} | ${(burstMs / 1000).toFixed(1)} s |`);
};
