import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { ConfigError } from "@/server/config/load";
import { AppError } from "@/server/errors";
import { z } from "zod";
import { GENERIC_MESSAGE, toHttpResponse, toTRPCError } from "./errors";

describe("toTRPCError", () => {
  it("maps AppError codes and keeps their public message", () => {
    expect(toTRPCError(new AppError("NOT_FOUND", "no such cluster"))).toMatchObject({ code: "NOT_FOUND", message: "no such cluster" });
    expect(toTRPCError(new AppError("UNAVAILABLE", "store down"))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(toTRPCError(new AppError("PRECONDITION_FAILED", "no sync standby"))).toMatchObject({ code: "PRECONDITION_FAILED" });
  });

  it("unwraps an AppError that tRPC wrapped", () => {
    const wrapped = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new AppError("CONFLICT", "leader changed") });
    expect(toTRPCError(wrapped)).toMatchObject({ code: "CONFLICT", message: "leader changed" });
  });

  it("turns unknown errors into a generic message, keeping the cause for the log", () => {
    const raw = new Error("password authentication failed for postgres://u:pw@db");
    const mapped = toTRPCError(raw);
    expect(mapped).toMatchObject({ code: "INTERNAL_SERVER_ERROR", message: GENERIC_MESSAGE });
    expect(mapped.cause).toBe(raw);
    expect(toTRPCError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: raw })).message).toBe(GENERIC_MESSAGE);
    expect(toTRPCError("a string").message).toBe(GENERIC_MESSAGE);
  });

  it("passes deliberate tRPC errors through", () => {
    const bad = new TRPCError({ code: "BAD_REQUEST", message: "id: expected a string" });
    expect(toTRPCError(bad)).toBe(bad);
  });

  it("shows config problems", () => {
    const mapped = toTRPCError(new ConfigError("ha.config.yaml", ["clusters[0].nodes: a cluster needs at least one node"]));
    expect(mapped.message).toContain("clusters[0].nodes");
  });

  it("names the fields of a procedure input that failed its schema", () => {
    const r = z.object({ id: z.number() }).safeParse({ id: "x" });
    const wrapped = new TRPCError({ code: "BAD_REQUEST", cause: r.error });
    expect(toTRPCError(wrapped)).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^id: /) });
  });
});

describe("toHttpResponse", () => {
  it("answers with the mapped status and the public message", async () => {
    const res = toHttpResponse(new AppError("BAD_REQUEST", "table: expected one of summary"));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toBe("table: expected one of summary\n");
    expect(toHttpResponse(new AppError("UNAUTHORIZED", "Sign in")).status).toBe(401);
    const hidden = toHttpResponse(new Error("postgres://u:pw@db"));
    expect(hidden.status).toBe(500);
    expect(await hidden.text()).toBe(`${GENERIC_MESSAGE}\n`);
  });
});

