/**
 * The one error type services throw on purpose. `message` is shown to the user as it is, so it must
 * never contain a DSN, URL with credentials or password; put the raw error in `cause` for the log.
 */
export const APP_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "CONFIG_INVALID",
  "UNAVAILABLE",
  "TIMEOUT",
] as const;
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}
