/**
 * What a function needs from the rest of the stack, declared beside its handler
 * module in the route table (routes.ts) or the task table (tasks.ts). The CDK
 * stack turns each need into exactly one grant and one environment variable.
 */

/** The stack's state machines. */
export type MachineId = 'intake' | 'review' | 'awards' | 'handoff';

export interface FunctionNeeds {
  /** Least privilege on the table: read (GetItem, BatchGetItem, Query) or also write (PutItem, UpdateItem, ConditionCheckItem). */
  table: 'read' | 'readWrite';
  /**
   * The partitions of the table it reads (and writes): its base-table grant carries an IAM condition on
   * `dynamodb:LeadingKeys`, so every item a request touches must lie in one of them. Queries on GSI1
   * are granted apart, read only (see README, "Least privilege").
   */
  partitions: readonly Partition[];
  /**
   * May delete items, but only in these partitions (`dynamodb:LeadingKeys` again): the submission
   * register's items leave when an entry stops being SUBMITTED.
   */
  deletes?: readonly Partition[];
  /** May Query these indexes (read only, on the index; see `partitions`). */
  indexes?: readonly IndexId[];
  /**
   * The documents bucket: `upload` signs presigned POSTs (s3:PutObject under entries/), `read` signs
   * presigned GETs and reads uploads (s3:GetObject); the bucket policy still refuses unscanned objects.
   */
  documents?: 'upload' | 'read';
  /** Signs presigned POSTs for bulk import files (s3:PutObject under imports/ of the documents bucket). */
  imports?: 'upload';
  /** Signs presigned GETs for finished CSV exports (s3:GetObject under exports/ of the documents bucket). */
  exports?: 'read';
  /** Reads the link signing key (Secrets Manager) to sign or verify links. */
  signsLinks?: boolean;
  /** Reads the entry token key (Secrets Manager) to derive applicant access tokens. */
  derivesEntryTokens?: boolean;
  /** May start executions of these machines (their ARNs arrive in `<MACHINE>_STATE_MACHINE_ARN`). */
  starts?: readonly MachineId[];
  /** With `starts`: may also describe and redrive those executions (the admin start routes resume them). */
  redrives?: boolean;
  /** May describe executions of these machines (DescribeExecution only; their ARNs arrive as with `starts`). */
  describes?: readonly MachineId[];
  /** May resume these machines' callback steps (SendTaskSuccess only: nothing here fails a wait). */
  resumes?: readonly MachineId[];
  timeoutSeconds?: number;
  memoryMb?: number;
}

/** The environment variable that carries a machine's ARN. */
export const machineArnVariable: Record<MachineId, string> = {
  intake: 'INTAKE_STATE_MACHINE_ARN',
  review: 'REVIEW_STATE_MACHINE_ARN',
  awards: 'AWARD_STATE_MACHINE_ARN',
  handoff: 'HANDOFF_STATE_MACHINE_ARN',
};

/**
 * The partition-key prefixes of the single table: store/keys.ts builds every key from them, and the
 * stack grants each function the partitions it declares (`partitions`, `deletes`).
 */
export const PARTITION = {
  competition: 'COMP#',
  entry: 'ENTRY#',
  submissions: 'SUBMITTED#',
  guard: 'GUARD#',
  expert: 'EXPERT#',
  importJob: 'IMPORT#',
  exportJob: 'EXPORT#',
  assignment: 'ASSIGN#',
  outbox: 'OUTBOX#',
  project: 'PROJECT#',
  audit: 'AUDIT#',
  idempotency: 'IDEM#',
  need: 'NEED#',
} as const;
export type Partition = keyof typeof PARTITION;

/** The table's global secondary indexes, by what they are for (store/keys.ts and the stack use these names). */
export const INDEX = {
  /** GSI1: lists (competitions by status, entries by track and status, experts, reviews, needs by status…). */
  list: 'gsi1',
  /** The needs catalogue: published needs of a competition, by publication (a projection of what it shows). */
  catalogue: 'catalogue',
} as const;
export type IndexId = keyof typeof INDEX;
