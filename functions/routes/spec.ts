import * as z from 'zod';
import { roundSlug, slug } from '../../shared/ids.ts';

export type Auth = 'public' | 'applicant' | 'admin' | 'link';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  /** Handler module (exports `handler`), relative to the repository root. */
  entry: string;
  /** public: anyone; applicant: bearer entry token checked by the handler; admin: IAM in AWS, admin key locally; link: a signed link in the path. */
  auth: Auth;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** How the body is sent: JSON (default), CSV text (`text/csv`) or an HTML form, then checked by `body`. */
  bodyFormat?: 'json' | 'csv' | 'form';
  /** Needs the link signing key (Secrets Manager). */
  signsLinks?: boolean;
  /** May resume a review round's wait step (SendTaskSuccess on the review state machine). */
  resumesRounds?: boolean;
  /** Status of a successful response. */
  okStatus: 200 | 201 | 202;
  /** Least privilege: what the function may do with the table. */
  table: 'read' | 'readWrite';
  /** May start (and describe, redrive) executions of the round state machines. */
  startsIntake?: boolean;
  /** May start (and describe, redrive) executions of the award state machine. */
  startsAwards?: boolean;
  /** May resume the award and hand-off workflows' callback steps (SendTaskSuccess). */
  resumesAwards?: boolean;
  /** For heavier routes (default 15 s / 512 MB). */
  timeoutSeconds?: number;
  memoryMb?: number;
}

export const competitionParams = z.strictObject({ competitionId: slug });
const entryId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be an entry id');
export const entryParams = z.strictObject({ entryId });
export const roundParams = z.strictObject({ competitionId: slug, roundId: roundSlug });
export const page = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2000).optional(),
};

/** Bodies above this are refused with 413 before parsing (API Gateway's own cap is 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;
