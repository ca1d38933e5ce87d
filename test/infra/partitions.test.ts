import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { PARTITION, type Partition } from '../../functions/function-spec.ts';
import * as keys from '../../functions/store/keys.ts';
import { REPO_ROOT } from '../../infra/function.ts';
import { readModel, synthTemplate } from '../../infra/local/template.ts';

/**
 * Least privilege that cannot drift: each function's role must name (dynamodb:LeadingKeys) every
 * partition its code can reach. What it can reach is read from its own bundle, tree-shaken as esbuild
 * builds it for Lambda: the key builders of store/keys.ts that survive are the ones some path calls.
 */

/** The base-table partition each key builder addresses. */
const BASE_TABLE_KEYS: Record<string, Partition> = {
  competitionKey: 'competition',
  roundKey: 'competition',
  decisionKey: 'competition',
  assignmentReportKey: 'competition',
  awardsKey: 'competition',
  entryKey: 'entry',
  documentKey: 'entry',
  documentAccessKey: 'entry',
  submissionKey: 'submissions',
  submissionRegisterPk: 'submissions',
  guardKey: 'guard',
  expertKey: 'expert',
  importJobKey: 'importJob',
  exportJobKey: 'exportJob',
  assignmentKey: 'assignment',
  reviewRevisionKey: 'assignment',
  expertHomeKey: 'assignment',
  expertHomeAssignmentKey: 'assignment',
  outboxKey: 'outbox',
  projectKey: 'project',
  auditShardKey: 'audit',
  auditRecordKey: 'audit',
  auditHeadKey: 'audit',
  idempotencyKey: 'idempotency',
  needKey: 'need',
  needAnswerKey: 'need',
  meetingKey: 'need',
  needSearchBlockKey: 'competition',
  dealKey: 'need',
};
/** Builders of index partition keys: queries on an index are granted apart (no LeadingKeys). */
const INDEX_KEYS = [
  'competitionListKey',
  'entryIndexKey',
  'roundReviewsKey',
  'advancedIndexKey',
  'needListKey',
  'needCatalogueKey',
  'needActivityListKey',
];

describe('partitions granted to each function', () => {
  it('every key builder is classified, and each base-table builder yields its partition’s prefix', () => {
    const builders = Object.keys(keys).filter(
      (k) => /(Key|Pk)$/.test(k) && typeof (keys as Record<string, unknown>)[k] === 'function',
    );
    expect(builders.filter((b) => !(b in BASE_TABLE_KEYS) && !INDEX_KEYS.includes(b))).toEqual([]);
    for (const [name, partition] of Object.entries(BASE_TABLE_KEYS)) {
      const built = ((keys as Record<string, unknown>)[name] as (...a: unknown[]) => { pk: string } | string)(
        'c',
        't',
        'e',
        'x',
      );
      const pk = typeof built === 'string' ? built : built.pk;
      expect(pk.startsWith(PARTITION[partition]), name).toBe(true);
    }
  });

  it('no function can reach a partition its role does not name', async () => {
    const model = readModel(synthTemplate());
    const missing: string[] = [];
    for (const f of model.functions) {
      const granted = new Set(
        (f.policy ?? [])
          .filter((st) => st.Effect === 'Allow' && [st.Action].flat().some((a) => String(a).startsWith('dynamodb:')))
          .filter((st) => ![st.Resource].flat().some((r) => String(r).includes('/index/')))
          .flatMap((st) => [st.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? []].flat()),
      );
      const bundle = await esbuild.build({
        entryPoints: [`${REPO_ROOT}/${f.entry}`],
        bundle: true,
        write: false,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        treeShaking: true,
        logLevel: 'silent',
      });
      const code = bundle.outputFiles[0]!.text;
      for (const [builder, partition] of Object.entries(BASE_TABLE_KEYS)) {
        // Present at all in the tree-shaken bundle means reachable: called, or passed on (`ids.map(needKey)`).
        if (new RegExp(`\\b${builder}\\d*\\b`).test(code) && !granted.has(`${PARTITION[partition]}*`))
          missing.push(`${f.entry} can reach ${PARTITION[partition]} (${builder}) but its role does not name it`);
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
