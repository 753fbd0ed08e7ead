import { describe, expect, it } from "vitest";
import { bearerOf, isLoopback, mayScrape, tokenMatches } from "./metrics-access";

const from = (ip: string | null, authorization: string | null = null) => ({ ip, authorization });

describe("who may scrape /api/metrics", () => {
  it("unset: a loopback client without a token, anyone else only with the token", () => {
    expect(mayScrape({}, from("127.0.0.1"))).toBe(true);
    expect(mayScrape({}, from("::1"))).toBe(true);
    expect(mayScrape({}, from("10.0.0.7"))).toBe(false);
    expect(mayScrape({}, from(null))).toBe(false);
    expect(mayScrape({ bearerToken: "s3cret-token" }, from("10.0.0.7", "Bearer s3cret-token"))).toBe(true);
    expect(mayScrape({ bearerToken: "s3cret-token" }, from("10.0.0.7", "Bearer wrong"))).toBe(false);
  });

  it("public: false needs the token even from loopback", () => {
    const s = { public: false, bearerToken: "s3cret-token" };
    expect(mayScrape(s, from("127.0.0.1"))).toBe(false);
    expect(mayScrape(s, from("127.0.0.1", "Bearer s3cret-tokeN"))).toBe(false);
    expect(mayScrape(s, from("127.0.0.1", "Basic czNjcmV0LXRva2Vu"))).toBe(false);
    expect(mayScrape(s, from("10.0.0.7", "bearer s3cret-token"))).toBe(true);
  });

  it("public: true answers anyone", () => {
    expect(mayScrape({ public: true }, from("203.0.113.5"))).toBe(true);
  });

  it("an empty configured token never matches an empty bearer", () => {
    expect(tokenMatches("", "")).toBe(false);
    expect(mayScrape({ public: false, bearerToken: "" }, from("10.0.0.7", "Bearer "))).toBe(false);
  });

  it("loopback is 127.0.0.0/8 and ::1, nothing that merely starts like it", () => {
    expect(isLoopback("127.255.0.1")).toBe(true);
    expect(isLoopback("127.0.0.1.evil.test")).toBe(false);
    expect(isLoopback("1270.0.0.1")).toBe(false);
    expect(isLoopback("128.0.0.1")).toBe(false);
    expect(isLoopback("::2")).toBe(false);
  });

  it("reads only a Bearer authorization", () => {
    expect(bearerOf("Bearer abc")).toBe("abc");
    expect(bearerOf("Basic abc")).toBeNull();
    expect(bearerOf("Bearer a b")).toBeNull();
    expect(bearerOf(null)).toBeNull();
  });
});
