import { describe, expect, it } from "vitest";
import {
  addFailure,
  isSameOriginRequest,
  retryAfterMs,
  sessionPolicyOf,
  sessionVerdict,
  shouldTouch,
  TOUCH_EVERY_MS,
} from "./policy";

const MIN = 60_000;
const HOUR = 60 * MIN;
const policy = sessionPolicyOf({ idleTimeoutMinutes: 30, absoluteTimeoutHours: 12 });

describe("session timeouts", () => {
  it("converts the config's minutes and hours", () => {
    expect(policy).toEqual({ idleMs: 30 * MIN, absoluteMs: 12 * HOUR });
  });

  it("ends a session unused for the idle limit, and not a minute before", () => {
    const t0 = Date.UTC(2026, 0, 1);
    expect(sessionVerdict({ createdAt: t0, lastSeenAt: t0 }, t0 + 30 * MIN - 1, policy)).toBe("active");
    expect(sessionVerdict({ createdAt: t0, lastSeenAt: t0 }, t0 + 30 * MIN, policy)).toBe("idle");
  });

  it("use keeps a session alive until the absolute limit, however busy", () => {
    const t0 = Date.UTC(2026, 0, 1);
    let lastSeenAt = t0;
    for (let now = t0; now < t0 + 12 * HOUR; now += 10 * MIN) {
      expect(sessionVerdict({ createdAt: t0, lastSeenAt }, now, policy)).toBe("active");
      lastSeenAt = now;
    }
    expect(sessionVerdict({ createdAt: t0, lastSeenAt: t0 + 12 * HOUR - 1 }, t0 + 12 * HOUR, policy)).toBe("expired");
  });

  it("records use at most every TOUCH_EVERY_MS", () => {
    expect(shouldTouch(1000, 1000 + TOUCH_EVERY_MS - 1)).toBe(false);
    expect(shouldTouch(1000, 1000 + TOUCH_EVERY_MS)).toBe(true);
  });
});

describe("sign-in failure windows", () => {
  const W = 5 * MIN;
  it("refuses from the max-th failure until the window ends", () => {
    let w;
    const t0 = 1_000_000;
    for (let i = 0; i < 4; i++) w = addFailure(w, t0 + i * 1000, W);
    expect(w).toEqual({ windowStart: t0, count: 4 });
    expect(retryAfterMs(w, t0 + 4000, W, 5)).toBe(0);
    w = addFailure(w, t0 + 4000, W);
    expect(retryAfterMs(w, t0 + 4000, W, 5)).toBe(W - 4000);
    expect(retryAfterMs(w, t0 + W - 1, W, 5)).toBe(1);
    expect(retryAfterMs(w, t0 + W, W, 5)).toBe(0);
    expect(addFailure(w, t0 + W, W)).toEqual({ windowStart: t0 + W, count: 1 });
  });
});

describe("same-origin proof for mutations", () => {
  const h = (o: Record<string, string>) => new Headers({ host: "noc.example:3000", ...o });
  it("accepts the browser's own same-origin requests", () => {
    expect(isSameOriginRequest(h({ "sec-fetch-site": "same-origin", origin: "http://noc.example:3000" }))).toBe(true);
    expect(isSameOriginRequest(h({ origin: "http://noc.example:3000" }))).toBe(true);
  });
  it("refuses cross-site, foreign-origin and proof-less requests", () => {
    expect(isSameOriginRequest(h({ "sec-fetch-site": "cross-site", origin: "http://evil.example" }))).toBe(false);
    expect(isSameOriginRequest(h({ "sec-fetch-site": "same-site", origin: "http://a.noc.example:3000" }))).toBe(false);
    expect(isSameOriginRequest(h({ origin: "http://evil.example" }))).toBe(false);
    expect(isSameOriginRequest(h({ origin: "null" }))).toBe(false);
    expect(isSameOriginRequest(h({}))).toBe(false);
    // Sec-Fetch-Site wins over a matching Origin: the browser says it is cross-site.
    expect(isSameOriginRequest(h({ "sec-fetch-site": "cross-site", origin: "http://noc.example:3000" }))).toBe(false);
  });
  it("accepts configured trusted origins", () => {
    expect(isSameOriginRequest(h({ "sec-fetch-site": "cross-site", origin: "https://ops.example" }), ["https://ops.example"])).toBe(true);
  });
});
