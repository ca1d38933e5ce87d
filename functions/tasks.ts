import type { FunctionNeeds, MachineId } from './function-spec.ts';

/**
 * The one task table: every function a state machine invokes, declared once.
 * The CDK stack creates and grants them from it (as it does routes from the
 * route table), each workflow construct takes its functions from it by id, and
 * the local stack runs the same handler modules (read back from the template).
 */
export interface TaskSpec extends FunctionNeeds {
  /** The state machine whose steps invoke it. */
  machine: MachineId;
  /** Handler module (exports `handler`), relative to the repository root. */
  entry: string;
}

const INTAKE = { machine: 'intake', table: 'readWrite', timeoutSeconds: 60 } as const;
const REVIEW = { machine: 'review', table: 'readWrite', timeoutSeconds: 120 } as const;
const AWARDS = { machine: 'awards', table: 'readWrite', timeoutSeconds: 120 } as const;
const HANDOFF = { machine: 'handoff', table: 'readWrite', timeoutSeconds: 120 } as const;

export const tasks = {
  OpenIntake: { ...INTAKE, entry: 'functions/workflow/intake-open.ts', partitions: ['competition'] },
  CloseIntake: { ...INTAKE, entry: 'functions/workflow/intake-close.ts', partitions: ['competition'] },
  ScreenBatch: {
    ...INTAKE,
    entry: 'functions/workflow/intake-screen.ts',
    timeoutSeconds: 240,
    deletes: ['submissions'],
    partitions: ['competition', 'entry', 'submissions', 'audit'],
  },
  // Tells every screened applicant the result (a conditional put each; a replay queues nothing twice).
  FinalizeIntake: {
    ...INTAKE,
    entry: 'functions/workflow/intake-finalize.ts',
    timeoutSeconds: 240,
    partitions: ['competition', 'outbox'],
    indexes: ['list'],
  },

  // 10,000 entries × 2,000 experts: an exact solve of ~45 s and ~1.1 GB, then 50,000 assignment records.
  ReviewAssign: {
    ...REVIEW,
    entry: 'functions/workflow/review-assign.ts',
    memoryMb: 3008,
    timeoutSeconds: 280,
    partitions: ['competition', 'entry', 'assignment', 'outbox', 'audit', 'need'],
    indexes: ['list'],
  },
  ReviewWait: {
    ...REVIEW,
    entry: 'functions/workflow/review-wait.ts',
    resumes: ['review'],
    partitions: ['competition'],
  },
  ReviewFollowUp: {
    ...REVIEW,
    entry: 'functions/workflow/review-follow-up.ts',
    memoryMb: 3008,
    timeoutSeconds: 280,
    partitions: ['competition', 'entry', 'assignment', 'outbox', 'audit', 'need'],
    indexes: ['list'],
  },
  // Reads every review of the round (50,000 at the largest) and writes one decision per entry.
  ReviewTally: {
    ...REVIEW,
    entry: 'functions/workflow/review-tally.ts',
    memoryMb: 1024,
    timeoutSeconds: 280,
    partitions: ['competition', 'entry', 'audit', 'outbox'],
    indexes: ['list'],
  },

  HandOffAppoint: {
    ...HANDOFF,
    entry: 'functions/workflow/handoff-appoint.ts',
    partitions: ['competition', 'entry', 'outbox', 'project', 'audit'],
  },
  HandOffWait: {
    ...HANDOFF,
    entry: 'functions/workflow/handoff-wait.ts',
    resumes: ['handoff'],
    partitions: ['project'],
  },
  HandOffStep: {
    ...HANDOFF,
    entry: 'functions/workflow/handoff-step.ts',
    partitions: ['competition', 'outbox', 'project', 'audit'],
  },

  AwardPropose: {
    ...AWARDS,
    entry: 'functions/workflow/award-propose.ts',
    partitions: ['competition', 'entry', 'audit'],
  },
  AwardWait: { ...AWARDS, entry: 'functions/workflow/award-wait.ts', resumes: ['awards'], partitions: ['competition'] },
  AwardDecide: { ...AWARDS, entry: 'functions/workflow/award-decide.ts', partitions: ['competition', 'audit'] },
  AwardConfirm: {
    ...AWARDS,
    entry: 'functions/workflow/award-confirm.ts',
    partitions: ['competition', 'outbox', 'audit', 'need'],
  },
  // Publication starts one hand-off per funded winner.
  AwardPublish: {
    ...AWARDS,
    entry: 'functions/workflow/award-publish.ts',
    starts: ['handoff'],
    partitions: ['competition', 'audit', 'entry', 'outbox'],
  },
} as const satisfies Record<string, TaskSpec>;

export type TaskId = keyof typeof tasks;

export const taskList = (): Array<TaskSpec & { id: TaskId }> =>
  (Object.entries(tasks) as Array<[TaskId, TaskSpec]>).map(([id, t]) => ({ id, ...t }));

/** The ids of the tasks one machine invokes, in table order. */
export const tasksOf = (machine: MachineId): TaskId[] =>
  taskList()
    .filter((t) => t.machine === machine)
    .map((t) => t.id);
