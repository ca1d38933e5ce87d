import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildProblem, assignmentInstance, describeSolution } from '../shared/assignment/instance.ts';
import { solveRandomized } from '../shared/assignment/randomized.ts';
import { solveAssignment } from '../shared/assignment/solve.ts';
import { isAppError } from '../shared/errors.ts';
import { zodIssues } from '../shared/errors.ts';

/**
 * Dry-run the reviewer assignment before a round (the round workflow uses the
 * same solver):  npm run assign -- --input <instance.json> [--output <file>]
 * The instance format is documented in README ("Reviewer assignment").
 */
const { values } = parseArgs({ options: { input: { type: 'string' }, output: { type: 'string' } } });
const fail = (message: string, details?: unknown) => {
  console.error(message);
  if (details) console.error(JSON.stringify(details, null, 2));
  process.exit(2);
};
if (!values.input) fail('usage: npm run assign -- --input <instance.json> [--output <file>]');

let raw: unknown;
try {
  raw = JSON.parse(readFileSync(values.input!, 'utf8'));
} catch (e) {
  fail(`cannot read ${values.input}: ${(e as Error).message}`);
}
const parsed = assignmentInstance.safeParse(raw);
if (!parsed.success) fail(`${values.input} is not a valid assignment instance:`, zodIssues(parsed.error));
const inst = parsed.data!;
if (inst.mode === 'randomized' && inst.maxPairProbability === undefined)
  fail('randomized mode needs maxPairProbability');

try {
  const { problem, reasons } = buildProblem(inst);
  const t0 = performance.now();
  const solution =
    inst.mode === 'randomized'
      ? solveRandomized(problem, inst.maxPairProbability!, inst.seed)
      : solveAssignment(problem);
  const ms = performance.now() - t0;
  const out = describeSolution(inst, problem, reasons, solution, inst.mode);
  const randomized = inst.mode === 'randomized' ? (solution as ReturnType<typeof solveRandomized>) : undefined;
  const extra = randomized
    ? { expectedAffinity: +randomized.expectedAffinity.toFixed(6), pairProbabilityCap: randomized.pairProbabilityCap }
    : {};
  const text = `${JSON.stringify({ ...out, report: { ...out.report, ...extra, solveMs: Math.round(ms) } }, null, 2)}\n`;
  if (values.output) writeFileSync(values.output, text);
  else process.stdout.write(text);
  const r = out.report;
  console.error(
    `${inst.entries.length} entries × ${inst.reviewers.length} reviewers, ${inst.mode}: total affinity ${r.totalAffinity}, ` +
      `${r.entriesWithOnlyWeakReviewers.length} entries with only weak reviewers, ${r.shortfalls.length} short, ` +
      `${r.certificate.optimal ? 'optimal (certified)' : 'NOT certified'}, ${Math.round(ms)} ms${values.output ? ` → ${values.output}` : ''}`,
  );
} catch (e) {
  if (isAppError(e)) fail(e.message, e.details);
  throw e;
}
