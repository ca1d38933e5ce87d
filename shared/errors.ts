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

export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
