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

  // 10,000 entries × 2,000 experts: an exact solve of ~45 s and ~1.1 GB, then 50,000 assignment records.
  ReviewAssign: { ...REVIEW, entry: 'functions/workflow/review-assign.ts', memoryMb: 3008, timeoutSeconds: 280 },
  ReviewWait: { ...REVIEW, entry: 'functions/workflow/review-wait.ts', resumes: ['review'] },
  ReviewFollowUp: { ...REVIEW, entry: 'functions/workflow/review-follow-up.ts', memoryMb: 3008, timeoutSeconds: 280 },
  // Reads every review of the round (50,000 at the largest) and writes one decision per entry.
  ReviewTally: { ...REVIEW, entry: 'functions/workflow/review-tally.ts', memoryMb: 1024, timeoutSeconds: 280 },

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
