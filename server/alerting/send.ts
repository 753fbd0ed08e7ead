import "server-only";
import { describeFetchError, readBounded } from "@/server/collectors/http";
import { since } from "@/server/collectors/util";
import type { AttemptOutcome } from "./backoff";

/**
 * One HTTP POST of a notification, bounded by its timeout. The URL never carries credentials (the
 * config refuses them); Basic auth is a header built from the secret. Errors are described without
 * the URL, so the delivery log can show them.
 */

export interface SendRequest {
  url: string;
  body: string;
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
  timeoutMs: number;
  /** Aborted when the dashboard stops: the attempt is then not an attempt (nothing is recorded). */
  stop?: AbortSignal;
}

export interface SendResult extends AttemptOutcome {
  latencyMs: number;
  /** The dashboard stopped mid-attempt. */
  stopped: boolean;
}

/** How much of a refusal's body is kept for the delivery log. */
const EXCERPT = 200;

function excerpt(text: string): string | null {
  const t = text.replace(/\s+/g, " ").trim();
  if (!t) return null;
  return t.length > EXCERPT ? `${t.slice(0, EXCERPT)}…` : t;
}

export async function postNotification(req: SendRequest): Promise<SendResult> {
  const timeout = AbortSignal.timeout(req.timeoutMs);
  const signal = req.stop ? AbortSignal.any([timeout, req.stop]) : timeout;
  const headers = new Headers({ "content-type": "application/json", "user-agent": "ha-control-room", ...req.headers });
  if (req.basicAuth) headers.set("authorization", `Basic ${Buffer.from(`${req.basicAuth.username}:${req.basicAuth.password}`).toString("base64")}`);
  const start = performance.now();
  try {
    const res = await fetch(req.url, { method: "POST", body: req.body, headers, signal, redirect: "manual", cache: "no-store" });
    const text = await readBounded(res, 4096).catch(() => "");
    const ok = res.status >= 200 && res.status <= 299;
    return { code: res.status, retryAfter: res.headers.get("retry-after"), error: ok ? null : excerpt(text), latencyMs: Math.round(since(start)), stopped: false };
  } catch (e) {
    const stopped = req.stop?.aborted === true && !timeout.aborted;
    return { code: null, error: describeFetchError(e, signal, start), latencyMs: Math.round(since(start)), stopped };
  }
}
