import { canonicalJson, sha256 } from './tokens.ts';

/**
 * The tamper-evident record of a competition: every state change that affects
 * a decision appends an audit record. Records form hash chains — each carries
 * the previous record's hash and its own hash over its content — so changing,
 * removing or reordering any record breaks the chain from there on.
 *
 * A competition has AUDIT_SHARDS chains: each change appends to one of them,
 * so concurrent changes (hundreds of reviews in the last minutes) do not all
 * contend for one chain head. 256 keeps the expected writers per head near
 * one at 500 simultaneous reviews (the bench measures it); verifying reads
 * 256 small partitions.
 */
export const AUDIT_SHARDS = 256;
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEvent {
  competitionId: string;
  /** What happened, e.g. REVIEW_SUBMITTED, ROUND_TALLIED, PROJECT_EVENT. */
  type: string;
  /** What it happened to (an assignment, an entry, a round, a project). */
  subject: string;
  /** Who did it (an expert, an organizer's IAM principal, a workflow). */
  by: string;
  at: string;
  /** The inputs a replay needs (scores, amounts, hashes); small. */
  data?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEvent {
  shard: number;
  seq: number;
  prevHash: string;
  hash: string;
}

export const auditHash = (r: Omit<AuditRecord, 'hash'>): string =>
  sha256(
    canonicalJson({
      competitionId: r.competitionId,
      shard: r.shard,
      seq: r.seq,
      prevHash: r.prevHash,
      type: r.type,
      subject: r.subject,
      by: r.by,
      at: r.at,
      data: r.data ?? null,
    }),
  );

export type ChainProblem = {
  shard: number;
  seq: number;
  problem: 'CHANGED' | 'MISSING' | 'REORDERED' | 'HEAD_MISMATCH';
  detail: string;
};

/**
 * Walks one shard's chain (records in stored order) against its head and
 * names the first record that was changed, removed or reordered.
 */
export const checkChain = (
  shard: number,
  records: AuditRecord[],
  head: { seq: number; hash: string } | undefined,
): ChainProblem | undefined => {
  let prevHash = GENESIS_HASH;
  for (let k = 0; k < records.length; k++) {
    const r = records[k]!;
    const expectedSeq = k + 1;
    if (r.seq !== expectedSeq) {
      const movedLater = records.slice(k + 1).some((x) => x.seq === expectedSeq);
      return r.seq > expectedSeq && !movedLater
        ? { shard, seq: expectedSeq, problem: 'MISSING', detail: `record ${expectedSeq} is missing (next is ${r.seq})` }
        : {
            shard,
            seq: expectedSeq,
            problem: 'REORDERED',
            detail: `record ${r.seq} stands where ${expectedSeq} should`,
          };
    }
    const { hash, ...content } = r;
    if (auditHash(content) !== hash) {
      return { shard, seq: r.seq, problem: 'CHANGED', detail: `record ${r.seq}'s content does not match its hash` };
    }
    if (r.prevHash !== prevHash) {
      return { shard, seq: r.seq, problem: 'REORDERED', detail: `record ${r.seq} does not follow record ${r.seq - 1}` };
    }
    prevHash = hash;
  }
  const last = records.at(-1);
  if ((head?.seq ?? 0) !== (last?.seq ?? 0) || (last && head?.hash !== last.hash)) {
    const seq = (last?.seq ?? 0) + 1;
    return {
      shard,
      seq,
      problem: (head?.seq ?? 0) > (last?.seq ?? 0) ? 'MISSING' : 'HEAD_MISMATCH',
      detail: `the chain head says ${head?.seq ?? 0} record(s), ${records.length} found`,
    };
  }
  return undefined;
};
