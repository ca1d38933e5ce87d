import middy from '@middy/core';
import { observed } from './observability.ts';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { isAppError, zodIssues } from '../../shared/errors.ts';

/** An error Step Functions sees by name (Lambda's errorType), so Retry/Catch can match on it. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Wraps a state-machine task: validate the input (zod) → run. Domain errors keep
 * their stable code as the error name, so the execution shows e.g. NOT_FOUND.
 */
export const task = <S extends z.ZodType, R>(schema: S, run: (input: z.output<S>) => Promise<R>) =>
  middy<unknown, R, Error, Context>()
    .use(observed())
    .handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) throw new TaskError('InvalidInput', JSON.stringify(zodIssues(parsed.error)));
      try {
        return await run(parsed.data);
      } catch (e) {
        if (isAppError(e)) throw new TaskError(e.code, e.message);
        throw e;
      }
    });
