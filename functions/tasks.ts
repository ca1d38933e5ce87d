import { type FunctionNeeds, type MachineId, SUBMISSIONS } from './function-spec.ts';

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
  OpenIntake: { ...INTAKE, entry: 'functions/workflow/intake-open.ts' },
  CloseIntake: { ...INTAKE, entry: 'functions/workflow/intake-close.ts' },
  ScreenBatch: { ...INTAKE, entry: 'functions/workflow/intake-screen.ts', timeoutSeconds: 240, deletes: [SUBMISSIONS] },
  FinalizeIntake: { ...INTAKE, entry: 'functions/workflow/intake-finalize.ts' },

  ReviewAssign: { ...REVIEW, entry: 'functions/workflow/review-assign.ts', memoryMb: 1024 },
  ReviewWait: { ...REVIEW, entry: 'functions/workflow/review-wait.ts', resumes: ['review'] },
  ReviewFollowUp: { ...REVIEW, entry: 'functions/workflow/review-follow-up.ts', memoryMb: 1024 },
  ReviewTally: { ...REVIEW, entry: 'functions/workflow/review-tally.ts' },

  HandOffAppoint: { ...HANDOFF, entry: 'functions/workflow/handoff-appoint.ts' },
  HandOffWait: { ...HANDOFF, entry: 'functions/workflow/handoff-wait.ts', resumes: ['handoff'] },
  HandOffStep: { ...HANDOFF, entry: 'functions/workflow/handoff-step.ts' },

  AwardPropose: { ...AWARDS, entry: 'functions/workflow/award-propose.ts' },
  AwardWait: { ...AWARDS, entry: 'functions/workflow/award-wait.ts', resumes: ['awards'] },
  AwardDecide: { ...AWARDS, entry: 'functions/workflow/award-decide.ts' },
  AwardConfirm: { ...AWARDS, entry: 'functions/workflow/award-confirm.ts' },
  // Publication starts one hand-off per funded winner.
  AwardPublish: { ...AWARDS, entry: 'functions/workflow/award-publish.ts', starts: ['handoff'] },
} as const satisfies Record<string, TaskSpec>;

export type TaskId = keyof typeof tasks;

export const taskList = (): Array<TaskSpec & { id: TaskId }> =>
  (Object.entries(tasks) as Array<[TaskId, TaskSpec]>).map(([id, t]) => ({ id, ...t }));

/** The ids of the tasks one machine invokes, in table order. */
export const tasksOf = (machine: MachineId): TaskId[] =>
  taskList()
    .filter((t) => t.machine === machine)
    .map((t) => t.id);
