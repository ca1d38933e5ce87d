import { ENTRY_STATUSES, type EntryStatus } from '../../shared/entry.ts';
import { roundExecutionName } from '../../shared/competition.ts';
import { machineArnVariable } from '../function-spec.ts';
import { requiredEnv } from '../runtime/aws.ts';
import { executionStatus } from '../runtime/executions.ts';
import { getAwards } from '../store/awards.ts';
import { requireCompetition } from '../store/competitions.ts';
import { countEntries } from '../store/entries.ts';
import { countOutbox, NON_ROUND_STAGES } from '../store/outbox.ts';
import { listProjects } from '../store/projects.ts';
import { getReviewProgress } from '../store/reviews.ts';
import { getRoundRun } from '../store/rounds.ts';

const machineArn = (machine: keyof typeof machineArnVariable) => requiredEnv(machineArnVariable[machine]);

/**
 * What the console dashboard shows for one competition, read from the table (and each of its executions'
 * status from Step Functions, by their deterministic names): intake by track and status, each review
 * round's expected and received reviews by track, the outbox by stage, and the executions.
 */
export const competitionProgress = async (competitionId: string, at: Date) => {
  const competition = await requireCompetition(competitionId);
  const tracks = Promise.all(
    competition.tracks.map(async (t) => {
      const counts = await Promise.all(ENTRY_STATUSES.map((s) => countEntries(competitionId, t.trackId, s)));
      const byStatus = Object.fromEntries(ENTRY_STATUSES.map((s, k) => [s, counts[k]!])) as Record<EntryStatus, number>;
      return { trackId: t.trackId, name: t.name, entries: byStatus, total: counts.reduce((a, b) => a + b, 0) };
    }),
  );
  const rounds = Promise.all(
    competition.rounds.map(async (r) => {
      const machine = r.kind === 'INTAKE' ? 'intake' : 'review';
      const name = roundExecutionName(competitionId, r.roundId);
      const [run, execution, reviews] = await Promise.all([
        getRoundRun(competitionId, r.roundId),
        executionStatus(machineArn(machine), name),
        r.kind === 'INTAKE' ? undefined : getReviewProgress(competitionId, r.roundId),
      ]);
      return {
        roundId: r.roundId,
        kind: r.kind,
        status: run?.status ?? 'NOT_STARTED',
        execution: { machine, name, status: execution },
        ...(r.kind === 'INTAKE' ? { screening: run?.counts ?? {} } : {}),
        ...(reviews
          ? {
              reviews: {
                expected: reviews.expected,
                received: reviews.received,
                perTrack: reviews.perTrack,
                ...(reviews.completedAt ? { completedAt: reviews.completedAt } : {}),
              },
            }
          : {}),
      };
    }),
  );
  const stages = [...competition.rounds.map((r) => r.roundId), ...Object.keys(NON_ROUND_STAGES)];
  const mails = Promise.all(stages.map(async (stage) => ({ stage, ...(await countOutbox(competitionId, stage)) })));
  const awards = (async () => {
    const name = `${competitionId}_awards`;
    const [record, execution] = await Promise.all([
      getAwards(competitionId),
      executionStatus(machineArn('awards'), name),
    ]);
    return { status: record?.status ?? 'NOT_STARTED', execution: { machine: 'awards', name, status: execution } };
  })();
  // One hand-off execution per funded winner, named after its entry (award-publish starts them).
  const handOffs = listProjects(competitionId).then((projects) =>
    Promise.all(
      projects.map(async (p) => {
        const name = `${competitionId}_${p.entryId}`;
        return {
          projectId: p.projectId,
          status: p.status,
          execution: { machine: 'handoff', name, status: await executionStatus(machineArn('handoff'), name) },
        };
      }),
    ),
  );
  const [trackList, roundList, mailList, awardState, projects] = await Promise.all([
    tracks,
    rounds,
    mails,
    awards,
    handOffs,
  ]);
  const mailTotals = mailList.reduce(
    (t, m) => ({ pending: t.pending + m.pending, sent: t.sent + m.sent, refused: t.refused + m.refused }),
    { pending: 0, sent: 0, refused: 0 },
  );
  return {
    competitionId,
    title: competition.title,
    status: competition.status,
    at: at.toISOString(),
    intake: {
      tracks: trackList,
      total: trackList.reduce((t, x) => t + x.total, 0),
    },
    rounds: roundList,
    mails: { ...mailTotals, byStage: mailList.filter((m) => m.pending + m.sent + m.refused > 0) },
    awards: awardState,
    projects,
  };
};
