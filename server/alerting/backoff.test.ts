import { describe, expect, it } from "vitest";
import { backoffMs, judgeAttempt, parseRetryAfter } from "./backoff";

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const policy = { maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 60_000 };
const top = () => 0.999_999;

describe("delivery verdicts", () => {
  it("2xx is delivered", () => {
    for (const code of [200, 202, 204]) expect(judgeAttempt({ code }, 1, policy, NOW)).toEqual({ kind: "delivered" });
  });

  it("408, 429, 5xx, timeouts and connection errors are retried", () => {
    for (const code of [408, 429, 500, 502, 503, 504]) expect(judgeAttempt({ code }, 1, policy, NOW).kind).toBe("retry");
    expect(judgeAttempt({ code: null, error: "no answer within the deadline (10000 ms)" }, 1, policy, NOW)).toMatchObject({ kind: "retry", reason: "no answer within the deadline (10000 ms)" });
    expect(judgeAttempt({ code: null, error: "connection refused" }, 2, policy, NOW).kind).toBe("retry");
  });

  it("other 4xx are permanent, with the code and the receiver's words shown", () => {
    expect(judgeAttempt({ code: 400, error: "missing field alerts" }, 1, policy, NOW)).toEqual({ kind: "dead", reason: "400 Bad Request: missing field alerts" });
    expect(judgeAttempt({ code: 401 }, 1, policy, NOW)).toEqual({ kind: "dead", reason: "401 Unauthorized" });
    expect(judgeAttempt({ code: 418 }, 1, policy, NOW)).toEqual({ kind: "dead", reason: "HTTP 418" });
    expect(judgeAttempt({ code: 301 }, 1, policy, NOW)).toMatchObject({ kind: "dead", reason: expect.stringMatching(/redirects are not followed/) });
  });

  it("gives up after maxAttempts", () => {
    expect(judgeAttempt({ code: 503 }, 4, policy, NOW).kind).toBe("retry");
    expect(judgeAttempt({ code: 503 }, 5, policy, NOW)).toEqual({ kind: "dead", reason: "gave up after 5 attempts; last: 503 Service Unavailable" });
  });

  it("backs off exponentially with full jitter, capped", () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, policy, top))).toEqual([999, 1999, 3999, 7999, 59_999]);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(3, policy, Math.random)));
    expect(spread.size).toBeGreaterThan(10);
    for (const v of spread) expect(v).toBeLessThan(4000);
  });

  it("honours Retry-After in seconds or as an HTTP date, up to maxBackoffMs", () => {
    expect(judgeAttempt({ code: 429, retryAfter: "7" }, 1, policy, NOW)).toMatchObject({ kind: "retry", delayMs: 7000 });
    const date = new Date(NOW + 12_000).toUTCString();
    expect(judgeAttempt({ code: 503, retryAfter: date }, 1, policy, NOW)).toMatchObject({ kind: "retry", delayMs: 12_000 });
    expect(judgeAttempt({ code: 503, retryAfter: "86400" }, 1, policy, NOW)).toMatchObject({ kind: "retry", delayMs: 60_000 });
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
  });
});
