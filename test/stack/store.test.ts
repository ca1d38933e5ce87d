import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, startDynamo, type LocalDynamo } from '../../infra/local/dynamodb.ts';
import { freePort } from '../../infra/local/stack.ts';
import { readModel, synthTemplate } from '../../infra/local/template.ts';
import {
  createEntry,
  getEntryRecord,
  recordScreening,
  saveEntry,
  type EntryRecord,
} from '../../functions/store/entries.ts';
import { advanceRound, getRoundRun } from '../../functions/store/rounds.ts';
import { decodeCursor } from '../../functions/store/keys.ts';
import { createOnce, getVersioned, type LineLog, updateVersioned } from '../../functions/store/versioned.ts';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { listOutboxPage, OUTBOX_PAGE_BYTES } from '../../functions/store/outbox.ts';
import { documentClient } from '../../functions/runtime/aws.ts';
import { createEntryBody, organizationKey, type Screening } from '../../shared/entry.ts';
import { AppError } from '../../shared/errors.ts';
import { demoEntry } from '../../infra/local/demo.ts';

/** Store modules against DynamoDB Local, on the table the synthesized template defines. */
let dynamo: LocalDynamo;

beforeAll(async () => {
  const model = readModel(synthTemplate());
  dynamo = await startDynamo({ port: await freePort() });
  await ensureTables(dynamo.client, model.tables);
  Object.assign(process.env, {
    TABLE_NAME: model.tables[0]!.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});
afterAll(async () => dynamo?.stop());

let n = 0;
const entry = (org: string, over: Partial<EntryRecord> = {}): EntryRecord => {
  const {
    submit: _s,
    trackId,
    ...content
  } = createEntryBody.parse(demoEntry({ applicant: { ...demoEntry().applicant, organizationName: org } }));
  const id = `01JSTORE${String(n++).padStart(18, '0')}`;
  return {
    ...content,
    entryId: id,
    competitionId: 'store',
    trackId,
    status: 'SUBMITTED',
    organizationKey: organizationKey(content.applicant),
    version: 1,
    createdAt: '',
    updatedAt: '',
    tokenHash: 'h',
    ...over,
  };
};
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: AppError) => e.code ?? e.name,
  );

describe('entry store (DynamoDB Local)', () => {
  it('lets exactly `max` concurrent entries of one organization into a track', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => codeOf(createEntry(entry('并发公司'), 2))));
    expect(results.filter((r) => r === 'OK')).toHaveLength(2);
    expect(results.filter((r) => r === 'ENTRY_LIMIT_REACHED')).toHaveLength(4);
  });

  it('refuses a submission written after the intake round closed, atomically with the close', async () => {
    const open = entry('截止前公司', { competitionId: 'store-close' });
    await createEntry(open, 1, undefined, 'intake');
    const draft = entry('截止草稿公司', { competitionId: 'store-close', status: 'DRAFT' });
    await createEntry(draft, 1, undefined, 'intake');
    await advanceRound('store-close', 'intake', 'SCREENING', { intakeClosedAt: new Date().toISOString() });
    expect(
      await codeOf(createEntry(entry('截止后公司', { competitionId: 'store-close' }), 1, undefined, 'intake')),
    ).toBe('INTAKE_CLOSED');
    const submitted = { ...draft, status: 'SUBMITTED' as const, version: 2 };
    expect(await codeOf(saveEntry(draft, submitted, 1, 'applicant', 'intake'))).toBe('INTAKE_CLOSED');
    expect((await getEntryRecord(draft.entryId))!.status).toBe('DRAFT');
    // Withdrawing is still possible after the close.
    const withdrawn = { ...open, status: 'WITHDRAWN' as const, version: 2 };
    expect(await codeOf(saveEntry(open, withdrawn, 1, 'applicant', 'intake'))).toBe('OK');
  });

  it('turns a concurrent edit into VERSION_CONFLICT instead of a lost update', async () => {
    const e = entry('版本公司');
    await createEntry(e, 1);
    expect(await codeOf(saveEntry(e, { ...e, title: 'A', version: 2 }, 1))).toBe('OK');
    expect(await codeOf(saveEntry(e, { ...e, title: 'B', version: 2 }, 1))).toBe('VERSION_CONFLICT');
    expect((await getEntryRecord(e.entryId))!.title).toBe('A');
  });

  it('records a screening batch and its counts exactly once, however often it is replayed', async () => {
    const batch = [entry('筛选甲'), entry('筛选乙'), entry('筛选丙')];
    for (const e of batch) await createEntry(e, 1);
    const decide = (e: EntryRecord, outcome: Screening['outcome']) => ({
      entry: e,
      screening: { outcome, failures: [], screenedAt: '', roundId: 'intake' },
    });
    const decisions = [decide(batch[0]!, 'ELIGIBLE'), decide(batch[1]!, 'ELIGIBLE'), decide(batch[2]!, 'INELIGIBLE')];
    expect(await recordScreening('store', 'intake', decisions, new Date())).toHaveLength(3);
    expect(await recordScreening('store', 'intake', decisions, new Date())).toHaveLength(0); // replay: nothing left to record
    await advanceRound('store', 'intake', 'SCREENING', {});
    expect((await getRoundRun('store', 'intake'))!.counts).toEqual({ ELIGIBLE: { ic: 2 }, INELIGIBLE: { ic: 1 } });
  });

  it('skips entries withdrawn while their batch was being screened, and records the rest', async () => {
    const [a, b] = [entry('撤回竞态甲'), entry('撤回竞态乙')];
    await createEntry(a, 1);
    await createEntry(b, 1);
    await saveEntry(b, { ...b, status: 'WITHDRAWN', version: 2 }, 1);
    const screening = { outcome: 'ELIGIBLE' as const, failures: [], screenedAt: '', roundId: 'r2' };
    const recorded = await recordScreening(
      'store',
      'r2',
      [
        { entry: a, screening },
        { entry: b, screening },
      ],
      new Date(),
    );
    expect(recorded.map((d) => d.entry.entryId)).toEqual([a.entryId]);
    expect((await getEntryRecord(b.entryId))!.status).toBe('WITHDRAWN');
  });

  it('moves a round forward only: a replayed earlier step changes nothing', async () => {
    await advanceRound('store', 'r3', 'WAITING_FOR_DEADLINE', { startedAt: 't1' });
    await advanceRound('store', 'r3', 'SCREENED', { finishedAt: 't2' });
    await advanceRound('store', 'r3', 'SCREENING', { intakeClosedAt: 'late' });
    await advanceRound('store', 'r3', 'WAITING_FOR_DEADLINE', { startedAt: 't3' });
    expect(await getRoundRun('store', 'r3')).toMatchObject({ status: 'SCREENED', startedAt: 't1', finishedAt: 't2' });
  });

  it('accepts only cursors issued for the partition being listed', () => {
    const mine = Buffer.from(JSON.stringify({ gsi1pk: 'P', gsi1sk: 'x', pk: 'a', sk: 'b' })).toString('base64url');
    expect(decodeCursor(mine, 'P')).toMatchObject({ gsi1pk: 'P' });
    expect(() => decodeCursor(mine, 'Q')).toThrow(AppError);
    expect(() => decodeCursor('%%%', 'P')).toThrow(AppError);
    // Base-table lists are bound to their partition and sort-key prefix (one round's decisions, not another's).
    const decision = Buffer.from(JSON.stringify({ pk: 'COMP#c', sk: 'DECISION#r1#E1' })).toString('base64url');
    expect(decodeCursor(decision, { partition: 'COMP#c', sortPrefix: 'DECISION#r1#' })).toMatchObject({
      sk: 'DECISION#r1#E1',
    });
    expect(() => decodeCursor(decision, { partition: 'COMP#c', sortPrefix: 'DECISION#r2#' })).toThrow(AppError);
    expect(() => decodeCursor(decision, { partition: 'COMP#d' })).toThrow(AppError);
  });
});

describe('pages bounded by bytes (DynamoDB Local)', () => {
  it('ends an outbox page before it would pass its byte budget, and the pages add up to the whole list', async () => {
    // Six messages of ~150 KB (an expert with many links): a page of 50 would be 900 KB.
    for (let k = 0; k < 6; k++)
      await documentClient().send(
        new PutCommand({
          TableName: process.env.TABLE_NAME,
          Item: {
            pk: 'OUTBOX#bytes#r1',
            sk: `m${k}`,
            messageKey: `m${k}`,
            links: Array.from({ length: 1000 }, (_, i) => ({ assignmentId: `a-${k}-${i}`.padEnd(140, '.') })),
          },
        }),
      );
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listOutboxPage('bytes', 'r1', 50, cursor);
      expect(Buffer.byteLength(JSON.stringify(page.items))).toBeLessThan(OUTBOX_PAGE_BYTES + 400 * 1024);
      seen.push(...page.items.map((m) => m.messageKey));
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(pages).toBeGreaterThanOrEqual(3);
  });
});

describe('versioned records with a log of their own (DynamoDB Local)', () => {
  it('keeps a history as line items beside the record, so the record stays the same size however long it gets', async () => {
    type Rec = { id: string; history: Array<{ n: number; text: string }>; version: number };
    const key = { pk: 'TEST#log', sk: 'REC' };
    const log: LineLog = { attribute: 'history', pk: 'TEST#log', skPrefix: 'LINE#' };
    await createOnce<Rec>(key, { id: 'r', history: [{ n: 0, text: 'created' }], version: 1 }, {}, undefined, log);
    const text = '长'.repeat(3000); // ~9 KB a line: 50 lines are more than one item could hold (400 KB)
    const append = (n: number) =>
      updateVersioned<Rec>(key, (r) => ({ ...r, history: [...r.history, { n, text }] }), undefined, undefined, log);
    for (let k = 1; k <= 50; k++) await append(k);
    // Concurrent appends: each either takes the next line number or retries on fresh data (or gives up with 409).
    await Promise.all(Array.from({ length: 8 }, (_, k) => append(100 + k).catch((e: AppError) => e)));
    const stored = (await documentClient().send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: key }))).Item!;
    expect(stored.history).toBeUndefined();
    const record = (await getVersioned<Rec>(key, log))!;
    expect(stored.historyCount).toBe(record.history.length);
    expect(record.version).toBe(record.history.length);
    // Concurrent appends never lose or duplicate a line: each write took the next number or retried.
    expect(new Set(record.history.map((h) => h.n)).size).toBe(record.history.length);
    expect(record.history.length).toBeGreaterThan(51);
    expect(record.history.slice(0, 51).map((h) => h.n)).toEqual(Array.from({ length: 51 }, (_, k) => k));
  });
});
