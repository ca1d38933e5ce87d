import { describe, expect, it } from 'vitest';
import { type AuditRecord, auditHash, checkChain, GENESIS_HASH } from '../../shared/audit.ts';

const chain = (n: number): AuditRecord[] => {
  const out: AuditRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = {
      competitionId: 'c',
      shard: 3,
      seq,
      prevHash,
      type: 'REVIEW_SUBMITTED',
      subject: `A${seq}`,
      by: 'expert:a@example.com',
      at: `2026-06-0${seq}T00:00:00.000Z`,
      data: { scores: { innovation: 60 + seq } },
    };
    const record = { ...content, hash: auditHash(content) };
    out.push(record);
    prevHash = record.hash;
  }
  return out;
};
const headOf = (records: AuditRecord[]) => ({ seq: records.at(-1)!.seq, hash: records.at(-1)!.hash });

describe('audit chain check', () => {
  it('accepts an intact chain, and an empty one', () => {
    const c = chain(5);
    expect(checkChain(3, c, headOf(c))).toBeUndefined();
    expect(checkChain(3, [], undefined)).toBeUndefined();
  });

  it('names a changed record', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, data: { scores: { innovation: 0 } } };
    expect(checkChain(3, c, headOf(chain(5)))).toMatchObject({ shard: 3, seq: 3, problem: 'CHANGED' });
  });

  it('names a record rewritten with a fresh hash: the next one no longer follows it', () => {
    const c = chain(5);
    const { hash: _h, ...content } = { ...c[1]!, data: { scores: { innovation: 0 } } };
    c[1] = { ...content, hash: auditHash(content) };
    expect(checkChain(3, c, headOf(chain(5)))).toMatchObject({ seq: 3, problem: 'REORDERED' });
  });

  it('names a removed record, in the middle or at the end', () => {
    const c = chain(5);
    expect(checkChain(3, [...c.slice(0, 2), ...c.slice(3)], headOf(c))).toMatchObject({ seq: 3, problem: 'MISSING' });
    expect(checkChain(3, c.slice(0, 4), headOf(c))).toMatchObject({ seq: 5, problem: 'MISSING' });
  });

  it('names reordered records', () => {
    const c = chain(5);
    expect(checkChain(3, [c[0]!, c[2]!, c[1]!, c[3]!, c[4]!], headOf(c))).toMatchObject({
      seq: 2,
      problem: 'REORDERED',
    });
  });

  it('names a head that does not match the last record', () => {
    const c = chain(5);
    expect(checkChain(3, c, { seq: 5, hash: 'f'.repeat(64) })).toMatchObject({ problem: 'HEAD_MISMATCH' });
  });
});
