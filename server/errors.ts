import { z } from "zod";

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
  "TOO_MANY_REQUESTS",
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

/**
 * Zod issues as one line a person can act on: "<field>: <message>; ..." naming each field (dotted
 * path; `root` when the value itself is wrong). Unknown keys are named as fields of their own.
 */
export function formatIssues(error: z.core.$ZodError, root = "input"): string {
  return error.issues
    .map((i) => {
      const at = [...i.path.map(String)];
      if (i.code === "unrecognized_keys") return i.keys.map((k) => `${[...at, k].join(".")}: unknown parameter`).join("; ");
      return `${at.join(".") || root}: ${i.message}`;
    })
    .join("; ");
}

/** The one way to validate an input at a boundary: the parsed value, or AppError("BAD_REQUEST") naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, opts: { root?: string; what?: string } = {}): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const problems = formatIssues(r.error, opts.root);
  throw new AppError("BAD_REQUEST", opts.what ? `invalid ${opts.what}: ${problems}` : problems, { cause: r.error });
}
