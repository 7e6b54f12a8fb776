// The domain's refusals, free of any transport: services throw an AppError, and each transport maps it
// once (tRPC: the domain-error middleware and error formatter in server/api/trpc.ts; REST: respond() in
// server/api/rest/v1.ts). Its message is a sentence a writer can read; anything else that goes wrong
// is an ordinary Error, which the transports log and answer with a generic message.

export type AppErrorCode =
  /** The thing asked for does not exist, or is not the caller's to see. */
  | "NOT_FOUND"
  /** The request contradicts the current state (a stale version, a taken slug or username). */
  | "CONFLICT"
  /** The caller is known but may not do this. */
  | "FORBIDDEN"
  /** The caller is not (or no longer) signed in as an existing account. */
  | "UNAUTHORIZED"
  /** The input is well-formed but refused (a wrong current password, an expired link, a broken cursor). */
  | "INVALID"
  /** Too many attempts; try again later. */
  | "RATE_LIMITED";

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: AppErrorCode;
  /** The input the refusal is about (`slug`, `currentPassword`), so a form can mark that field. */
  readonly field: string | null;

  constructor(code: AppErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.field = options.field ?? null;
  }
}

export function isAppError(error: unknown, ...codes: AppErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}
