import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'infra/assign-cli.ts', ...args], { encoding: 'utf8' });

describe('npm run assign (dry run of the reviewer assignment)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'assign-'));

  it('writes the assignment and its report, with every kind of conflict (回避) avoided', () => {
    const out = path.join(dir, 'out.json');
    const r = run(['--input', 'test/fixtures/assign-example.json', '--output', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('optimal (certified)');
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const of = (e: string) =>
      result.assignments
        .find((a: { entry: string }) => a.entry === e)
        .reviewers.map((x: { reviewer: string }) => x.reviewer);
    expect(of('E1')).not.toContain('R1'); // 复旦大学 = Fudan University (alias)
    expect(of('E1')).not.toContain('R5'); // the expert is an applicant of E1
    expect(of('E2')).not.toContain('R3'); // declared conflict
    expect(of('E3')).not.toContain('R4'); // the sponsor's own expert
    expect(result.report.conflictsAvoided.byReason).toEqual({
      SAME_INSTITUTION: 1,
      EXPERT_IS_APPLICANT: 1,
      DECLARED: 1,
      SPONSOR: 1,
    });
    expect(result.assignments.every((a: { reviewers: unknown[] }) => a.reviewers.length === 2)).toBe(true);
  });

  it('draws a randomized assignment reproducibly from the seed', () => {
    const inst = {
      ...JSON.parse(readFileSync('test/fixtures/assign-example.json', 'utf8')),
      mode: 'randomized',
      maxPairProbability: 0.9,
      seed: 11,
    };
    const file = path.join(dir, 'random.json');
    writeFileSync(file, JSON.stringify(inst));
    const a = execFileSync(process.execPath, ['--import', 'tsx', 'infra/assign-cli.ts', '--input', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const b = execFileSync(process.execPath, ['--import', 'tsx', 'infra/assign-cli.ts', '--input', file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(JSON.parse(a).assignments).toEqual(JSON.parse(b).assignments);
    expect(JSON.parse(a).report.pairProbabilityCap).toBe(0.9);
  });

  it('refuses an invalid instance with the failing paths', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ reviewsPerEntry: 0, entries: [], reviewers: [{ id: 'R', cap: -1 }] }));
    const r = run(['--input', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('reviewsPerEntry');
    expect(r.stderr).toContain('reviewers.0.cap');
  });
});
