/**
 * What one delivery attempt's outcome means, pure: 2xx is delivered; 408, 429, 5xx, a timeout or a
 * connection error is tried again after exponential backoff with full jitter (or the receiver's
 * Retry-After), until the attempts run out; any other answer is permanent and dead-lettered at once.
 */

export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export interface AttemptOutcome {
  /** HTTP status; null when no answer came (timeout, refused, reset). */
  code: number | null;
  /** The Retry-After header as sent, if any. */
  retryAfter?: string | null;
  /** Why there was no answer, or a short excerpt of a refusal. */
  error?: string | null;
}

export type Verdict =
  | { kind: "delivered" }
  | { kind: "retry"; delayMs: number; reason: string }
  | { kind: "dead"; reason: string };

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function describeCode(code: number): string {
  return STATUS_TEXT[code] ? `${code} ${STATUS_TEXT[code]}` : `HTTP ${code}`;
}

export const isRetryableCode = (code: number) => code === 408 || code === 429 || (code >= 500 && code <= 599);

/** Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return null;
  return Math.max(0, at - now);
}

/** Full jitter: uniform in [0, min(max, initial · 2^(n-1))] for the n-th retry. */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, Math.min(retry - 1, 40)));
  return Math.floor(random() * ceiling);
}

/**
 * `attempt` is the number of this attempt (1 for the first). A Retry-After longer than maxBackoffMs is
 * cut to it: the receiver asked for a pause, not for the notification to be held for hours.
 */
export function judgeAttempt(outcome: AttemptOutcome, attempt: number, policy: RetryPolicy, now: number, random: () => number = Math.random): Verdict {
  const { code } = outcome;
  if (code !== null && code >= 200 && code <= 299) return { kind: "delivered" };
  const detail = outcome.error ? `: ${outcome.error}` : "";
  const reason = code === null ? (outcome.error ?? "no answer") : `${describeCode(code)}${detail}`;
  if (code !== null && !isRetryableCode(code)) {
    return { kind: "dead", reason: code >= 300 && code <= 399 ? `${describeCode(code)}: redirects are not followed (the body is signed for this URL)` : reason };
  }
  if (attempt >= policy.maxAttempts) return { kind: "dead", reason: `gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}; last: ${reason}` };
  const asked = parseRetryAfter(outcome.retryAfter, now);
  const delayMs = asked !== null ? Math.min(asked, policy.maxBackoffMs) : backoffMs(attempt, policy, random);
  return { kind: "retry", delayMs, reason };
}
