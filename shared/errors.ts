import type * as z from 'zod';

/**
 * Errors that cross the domain boundary carry a stable machine-readable `code`,
 * an HTTP status for the API layer, a human message and optional details
 * (for validation: the failing field paths).
 */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = code;
  }
}

export const validationError = (message: string, issues: FieldIssue[]) =>
  new AppError(422, 'VALIDATION_FAILED', message, { issues });

export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found`);

export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** zod issues → stable field paths; unknown keys are reported as the keys themselves. */
export const zodIssues = (error: z.ZodError, prefix = ''): FieldIssue[] =>
  error.issues.flatMap((i) => {
    const base = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ path: base ? `${base}.${k}` : k, message: 'unknown field', code: 'unknown_field' }));
    }
    return [{ path: base || '(root)', message: i.message, code: i.code }];
  });
