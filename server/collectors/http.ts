import { z } from "zod";
import { HttpUrl, TargetBase } from "@/server/config/fields";
import type { EntryOf, KindDef, ProbeResult, Section } from "./types";
import { describeError, since } from "./util";
import { judgeHttp, type HttpHealthData } from "@/server/health/judge";

export const HttpCheck = z.strictObject({
  ...TargetBase,
  url: HttpUrl,
  expectStatus: z.number().int().min(100).max(599).default(200),
});

export const HTTP: Section<"http", typeof HttpCheck> = { name: "http", schema: HttpCheck };
export type HttpTarget = EntryOf<typeof HTTP>;

export interface HttpData {
  statusCode: number;
  /** The body parsed as JSON when it is JSON, else null. Bounded to MAX_BODY bytes. */
  body: unknown;
  /** 1, or 2 when a pooled keep-alive connection was found closed and the request was sent again. */
  attempts: number;
}

const MAX_BODY = 64 * 1024;

/**
 * fetch() refuses URLs with user info, so credentials become a Basic header.
 * Shared with the HAProxy collector.
 */
export function requestFor(url: string, username?: string, password?: string): { url: string; headers: Headers } {
  const u = new URL(url);
  const headers = new Headers({ accept: "application/json, text/plain;q=0.9, */*;q=0.5" });
  const user = username ?? decodeURIComponent(u.username);
  const pass = password ?? decodeURIComponent(u.password);
  u.username = "";
  u.password = "";
  if (user || pass) headers.set("authorization", `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`);
  return { url: u.toString(), headers };
}

/** Read at most `max` bytes of the body; the rest is discarded. */
export async function readBounded(res: Response, max = MAX_BODY): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}

function causes(e: unknown): { name?: unknown; code?: unknown }[] {
  const out: { name?: unknown; code?: unknown }[] = [];
  for (let cur: unknown = e, depth = 0; cur && typeof cur === "object" && depth < 4; depth++) {
    out.push(cur as { name?: unknown; code?: unknown });
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/**
 * The peer closed or reset the connection before answering. On a pooled keep-alive socket this is
 * usually the server's idle timeout racing our request, not an outage (undici does not retry it).
 */
export function isClosedBeforeAnswer(e: unknown): boolean {
  return causes(e).some((c) => c.code === "UND_ERR_SOCKET" || c.code === "ECONNRESET" || c.code === "EPIPE");
}

/** describeError plus fetch's own failure kinds (undici error codes carry no URL or credentials). */
export function describeFetchError(e: unknown, signal: AbortSignal, start: number): string {
  if (!signal.aborted) {
    const cs = causes(e);
    if (cs.some((c) => c.name === "HTTPParserError" || (typeof c.code === "string" && c.code.startsWith("HPE_")))) {
      return "the answer is not HTTP";
    }
    if (cs.some((c) => c.code === "UND_ERR_SOCKET")) return "connection closed without an answer";
  }
  return describeError(e, signal, start);
}

function parseJson(text: string, contentType: string | null): unknown {
  const looksJson = contentType?.includes("json") || /^\s*[[{]/.test(text);
  if (!looksJson) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * fetch() with one retry when the connection is closed before any answer, as long as the deadline
 * allows. Polls reuse fetch's keep-alive pool, so a closed pooled socket must not read as DOWN;
 * a server that really resets every connection fails the retry too.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<{ res: Response; attempts: number }> {
  try {
    return { res: await fetch(url, init), attempts: 1 };
  } catch (e) {
    if (init.signal.aborted || !isClosedBeforeAnswer(e)) throw e;
    return { res: await fetch(url, init), attempts: 2 };
  }
}

export async function probeHttp(target: HttpTarget, signal: AbortSignal): Promise<ProbeResult<HttpData>> {
  const start = performance.now();
  try {
    const req = requestFor(target.url);
    const { res, attempts } = await fetchWithRetry(req.url, { signal, headers: req.headers, redirect: "manual", cache: "no-store" });
    const text = await readBounded(res);
    const latencyMs = since(start);
    const data: HttpData = { statusCode: res.status, body: parseJson(text, res.headers.get("content-type")), attempts };
    if (res.status !== target.expectStatus) {
      return { ok: false, latencyMs, error: `HTTP ${res.status}, expected ${target.expectStatus}`, data };
    }
    return { ok: true, latencyMs, data };
  } catch (e) {
    return { ok: false, latencyMs: since(start), error: describeFetchError(e, signal, start) };
  }
}

export const httpCollector: KindDef<"http", typeof HTTP, HttpTarget, HttpData, { http: readonly HttpTarget[] }, HttpHealthData> = {
  kind: "http",
  section: HTTP,
  units: (config) => config.http.map((h) => ({ entry: h, target: h })),
  probe: probeHttp,
  judge: judgeHttp,
  judgeOptions: (h, base) => ({ ...base, expectStatus: h.expectStatus ?? base.expectStatus }),
};
