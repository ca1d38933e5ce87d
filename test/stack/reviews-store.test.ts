import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, startDynamo, type LocalDynamo } from '../../infra/local/dynamodb.ts';
import { freePort } from '../../infra/local/stack.ts';
import { readModel, synthTemplate } from '../../infra/local/template.ts';
import {
  addReview,
  assignmentIdOf,
  claimExtraPass,
  createAssignments,
  declareConflict,
  getAssignment,
  getReviewProgress,
  listReviewRevisions,
  listRoundAssignments,
  submitReview,
} from '../../functions/store/reviews.ts';
import type { AppError } from '../../shared/errors.ts';

/** Review submission under concurrency, against DynamoDB Local on the template's table. */
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

const NOW = new Date('2026-07-01T00:00:00Z');
const pairs = (n: number) =>
  Array.from({ length: n }, (_, k) => ({
    entryId: `E${Math.floor(k / 3)}`,
    trackId: 'ic',
    expertEmail: `x${k % 3}@example.com`,
  }));
const scores = (v: number) => ({ innovation: v, feasibility: v });

describe('review store', () => {
  it('creates assignments once, however often the step is replayed', async () => {
    expect(await createAssignments('c', 'r1', pairs(6), NOW)).toEqual({ created: 6, existing: 0 });
    expect(await createAssignments('c', 'r1', pairs(6), NOW)).toEqual({ created: 0, existing: 6 });
    expect((await listRoundAssignments('c', 'r1', 100)).items).toHaveLength(6);
    expect(assignmentIdOf('c', 'r1', 'E0', 'x0@example.com')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('counts every review exactly once when the last reviews arrive together, and completes the round once', async () => {
    const all = pairs(30);
    await createAssignments('c', 'r2', all, NOW);
    const ids = all.map((p) => assignmentIdOf('c', 'r2', p.entryId, p.expertEmail));
    // Every review submitted three times at once: 90 concurrent calls.
    const results = await Promise.all(
      ids.flatMap((id, k) => [0, 1, 2].map(() => submitReview(id, 1, scores(k), undefined, NOW))),
    );
    expect(results.filter((r) => r.counted)).toHaveLength(30);
    expect(results.filter((r) => r.completedRound)).toHaveLength(1);
    expect(await getReviewProgress('c', 'r2')).toEqual({
      expected: 30,
      received: 30,
      perTrack: { ic: { expected: 30, received: 30 } },
      extraPass: undefined,
      completedAt: NOW.toISOString(),
    });
    const a = await getAssignment(ids[7]!);
    expect(a).toMatchObject({ status: 'SUBMITTED', scores: scores(7) });
    expect(await listReviewRevisions(ids[7]!)).toHaveLength(1);
    expect(a!.revisions).toBe(1);
  });

  it('treats later saves as edits: history grows, the counter does not, a replay writes nothing', async () => {
    await createAssignments('c', 'r3', pairs(3), NOW);
    const id = assignmentIdOf('c', 'r3', 'E0', 'x0@example.com');
    expect((await submitReview(id, 1, scores(60), undefined, NOW)).counted).toBe(true);
    const edit = await submitReview(id, 1, scores(75), '补充意见', new Date('2026-07-02T00:00:00Z'));
    expect(edit).toMatchObject({ counted: false, completedRound: false });
    expect(await getReviewProgress('c', 'r3')).toMatchObject({ expected: 3, received: 1 });
    await submitReview(id, 1, scores(75), '补充意见', new Date('2026-07-03T00:00:00Z'));
    const a = await getAssignment(id);
    // Each version is its own item: the assignment itself does not grow with edits.
    expect((await listReviewRevisions(id)).map((h) => h.scores.innovation)).toEqual([60, 75]);
    expect(a!.revisions).toBe(2);
    expect(a!.comment).toBe('补充意见');
  });

  it('refuses a link whose version is no longer the assignment’s', async () => {
    await createAssignments('c', 'r4', pairs(3), NOW);
    const id = assignmentIdOf('c', 'r4', 'E0', 'x1@example.com');
    await expect(submitReview(id, 2, scores(50), undefined, NOW)).rejects.toMatchObject({
      code: 'LINK_REVOKED',
    } satisfies Partial<AppError>);
    await expect(submitReview('NOSUCHASSIGNMENT0000000000', 1, scores(50), undefined, NOW)).rejects.toMatchObject({
      code: 'ASSIGNMENT_NOT_FOUND',
    });
  });

  it('takes a declined review out of the expected count, so the others can complete the round', async () => {
    await createAssignments('c', 'r5', pairs(3), NOW);
    const [a, b, c] = ['x0@example.com', 'x1@example.com', 'x2@example.com'].map((e) =>
      assignmentIdOf('c', 'r5', 'E0', e),
    );
    expect((await submitReview(a!, 1, scores(70), undefined, NOW)).completedRound).toBe(false);
    expect((await submitReview(b!, 1, scores(75), undefined, NOW)).completedRound).toBe(false);
    expect(await declareConflict(c!, 1, '曾指导过该团队', NOW)).toEqual({ counted: true, completedRound: true });
    // A replay changes nothing, and is not counted again (the metric of declined reviews).
    expect(await declareConflict(c!, 1, '曾指导过该团队', NOW)).toEqual({ counted: false, completedRound: false });
    expect(await getReviewProgress('c', 'r5')).toMatchObject({ expected: 2, received: 2 });
    await expect(declareConflict(a!, 1, '太晚了', NOW)).rejects.toMatchObject({ code: 'NOT_PENDING' });
  });

  it('replaces a declined review once: the backup is expected, the round completes again only when it arrives', async () => {
    await createAssignments('c', 'r6', pairs(2), NOW);
    const [a, b] = ['x0@example.com', 'x1@example.com'].map((e) => assignmentIdOf('c', 'r6', 'E0', e));
    await submitReview(a!, 1, scores(70), undefined, NOW);
    expect(await declareConflict(b!, 1, '同单位', NOW)).toEqual({ counted: true, completedRound: true });
    const declined = (await getAssignment(b!))!;
    const pair = { competitionId: 'c', roundId: 'r6', entryId: 'E0', trackId: 'ic', expertEmail: 'backup@example.com' };
    const backup = await addReview(pair, { kind: 'REPLACES', assignment: declined }, NOW);
    expect(backup).toMatchObject({ status: 'PENDING', replaces: b, linkVersion: 1 });
    // A replay (same or other backup) adds nothing: the declined review is already replaced.
    expect(await addReview(pair, { kind: 'REPLACES', assignment: declined }, NOW)).toBeUndefined();
    expect(
      await addReview({ ...pair, expertEmail: 'other@example.com' }, { kind: 'REPLACES', assignment: declined }, NOW),
    ).toBeUndefined();
    expect(await getAssignment(b!)).toMatchObject({ status: 'DECLINED', replacedBy: backup!.assignmentId });
    expect(await getReviewProgress('c', 'r6')).toMatchObject({
      expected: 2,
      received: 1,
      completedAt: undefined,
      perTrack: { ic: { expected: 2, received: 1 } },
    });
    expect((await submitReview(backup!.assignmentId, 1, scores(80), undefined, NOW)).completedRound).toBe(true);
  });

  it('revokes an overdue review when its backup is added (old link refused), unless it arrived first', async () => {
    await createAssignments('c', 'r7', pairs(3), NOW);
    const [a, b] = ['x0@example.com', 'x1@example.com'].map((e) => assignmentIdOf('c', 'r7', 'E0', e));
    const overdue = (await getAssignment(a!))!;
    const backup = await addReview(
      { competitionId: 'c', roundId: 'r7', entryId: 'E0', trackId: 'ic', expertEmail: 'late-backup@example.com' },
      { kind: 'REPLACES', assignment: overdue },
      NOW,
    );
    expect(backup).toBeDefined();
    expect(await getAssignment(a!)).toMatchObject({
      status: 'REVOKED',
      linkVersion: 2,
      replacedBy: backup!.assignmentId,
    });
    await expect(submitReview(a!, 1, scores(60), undefined, NOW)).rejects.toMatchObject({ code: 'LINK_REVOKED' });
    expect(await getReviewProgress('c', 'r7')).toMatchObject({ expected: 3, received: 0 });
    // b's review arrives after the follow-up read it as pending: the revocation loses, nothing is added.
    const seenPending = (await getAssignment(b!))!;
    await submitReview(b!, 1, scores(60), undefined, NOW);
    expect(
      await addReview(
        { competitionId: 'c', roundId: 'r7', entryId: 'E0', trackId: 'ic', expertEmail: 'late-backup2@example.com' },
        { kind: 'REPLACES', assignment: seenPending },
        NOW,
      ),
    ).toBeUndefined();
    expect(await getAssignment(b!)).toMatchObject({ status: 'SUBMITTED', linkVersion: 1 });
    expect(await getReviewProgress('c', 'r7')).toMatchObject({ expected: 3, received: 1 });
  });

  it('records a disagreement pass once and adds its extra reviews once', async () => {
    await createAssignments('c', 'r8', pairs(3), NOW);
    expect(await claimExtraPass('c', 'r8', 1, ['E0'])).toEqual({ k: 1, entryIds: ['E0'] });
    // A replay that computed something else still gets what the first call stored.
    expect(await claimExtraPass('c', 'r8', 1, ['E0', 'E9'])).toEqual({ k: 1, entryIds: ['E0'] });
    const pair = { competitionId: 'c', roundId: 'r8', entryId: 'E0', trackId: 'ic', expertEmail: 'extra@example.com' };
    expect(await addReview(pair, { kind: 'EXTRA', pass: 1 }, NOW)).toMatchObject({ extraPass: 1 });
    expect(await addReview(pair, { kind: 'EXTRA', pass: 1 }, NOW)).toBeUndefined();
    expect(await getReviewProgress('c', 'r8')).toMatchObject({ expected: 4, extraPass: { k: 1, entryIds: ['E0'] } });
    expect(await claimExtraPass('c', 'r8', 2, ['E1'])).toEqual({ k: 2, entryIds: ['E1'] });
  });
});
