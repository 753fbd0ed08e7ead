import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { ConfigError } from "@/server/config/load";
import { AppError, formatIssues, type AppErrorCode } from "@/server/errors";

type TRPCCode = TRPCError["code"];

const CODE_MAP: Record<AppErrorCode, TRPCCode> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  CONFIG_INVALID: "INTERNAL_SERVER_ERROR",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
  TIMEOUT: "TIMEOUT",
};

export const GENERIC_MESSAGE = "Internal server error";

function fromAppError(e: AppError): TRPCError {
  return new TRPCError({ code: CODE_MAP[e.code], message: e.message, cause: e });
}

function fromKnown(e: unknown): TRPCError | undefined {
  if (e instanceof AppError) return fromAppError(e);
  if (e instanceof ConfigError) {
    // The problems name the file and fields, never secret values; the operator needs them.
    return fromAppError(new AppError("CONFIG_INVALID", e.message, { cause: e }));
  }
  return undefined;
}

/**
 * The one mapping from thrown errors to what the client sees. AppErrors keep their (public) message;
 * input validation names the fields; other deliberate TRPCErrors pass through; anything else becomes
 * a generic INTERNAL_SERVER_ERROR, because raw messages can hold DSNs and passwords.
 */
export function toTRPCError(e: unknown): TRPCError {
  const known = fromKnown(e);
  if (known) return known;
  if (e instanceof TRPCError) {
    const fromCause = fromKnown(e.cause);
    if (fromCause) return fromCause;
    // A procedure's input failed its schema: name the fields, as parseInput does.
    if (e.code === "BAD_REQUEST" && e.cause instanceof z.core.$ZodError) return new TRPCError({ code: "BAD_REQUEST", message: formatIssues(e.cause), cause: e.cause });
    if (e.code !== "INTERNAL_SERVER_ERROR") return e;
    if (e.message === GENERIC_MESSAGE) return e;
    return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE, cause: e.cause ?? e });
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE, cause: e });
}

/** The same mapping for a route handler: a plain-text answer with the HTTP status of the code. */
export function toHttpResponse(e: unknown): Response {
  const err = toTRPCError(e);
  return new Response(`${err.message}\n`, {
    status: getHTTPStatusCodeFromError(err),
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
