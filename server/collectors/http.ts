import "server-only";
import type { Collector, HttpTarget, ProbeResult } from "./types";
import { describeError, since } from "./util";

export interface HttpData {
  statusCode: number;
  /** The body parsed as JSON when it is JSON, else null. Bounded to MAX_BODY bytes. */
  body: unknown;
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

function parseJson(text: string, contentType: string | null): unknown {
  const looksJson = contentType?.includes("json") || /^\s*[[{]/.test(text);
  if (!looksJson) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function probeHttp(target: HttpTarget, signal: AbortSignal): Promise<ProbeResult<HttpData>> {
  const start = performance.now();
  try {
    const req = requestFor(target.url);
    const res = await fetch(req.url, { signal, headers: req.headers, redirect: "manual", cache: "no-store" });
    const text = await readBounded(res);
    const latencyMs = since(start);
    const data: HttpData = { statusCode: res.status, body: parseJson(text, res.headers.get("content-type")) };
    if (res.status !== target.expectStatus) {
      return { ok: false, latencyMs, error: `HTTP ${res.status}, expected ${target.expectStatus}`, data };
    }
    return { ok: true, latencyMs, data };
  } catch (e) {
    return { ok: false, latencyMs: since(start), error: describeError(e, signal, start) };
  }
}

export const httpCollector: Collector<"http", HttpTarget, HttpData> = { kind: "http", probe: probeHttp };
