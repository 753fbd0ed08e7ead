/**
 * Who may scrape `/api/metrics`: the pure rule, without I/O. The figures name no person and carry no
 * secret, but they map the whole HA stack, so by default only a scraper on this host gets them
 * without a token.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export interface MetricsAccess {
  /** true: anyone. false: only with the token. undefined: a loopback client, or anyone with the token. */
  public?: boolean;
  /** The revealed bearer token; undefined when none is configured. */
  bearerToken?: string;
}

/** 127.0.0.0/8 and ::1 (an IPv4-mapped address arrives already unmapped from clientAddress). */
export function isLoopback(ip: string | null): boolean {
  if (ip === null) return false;
  if (ip === "::1" || ip === "0:0:0:0:0:0:0:1") return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerOf(authorization: string | null): string | null {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  return m ? m[1]! : null;
}

/** Compares digests, so neither the length nor the first differing byte shows in the time taken. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

export function mayScrape(s: MetricsAccess, req: { ip: string | null; authorization: string | null }): boolean {
  if (s.public === true) return true;
  const given = bearerOf(req.authorization);
  if (given !== null && s.bearerToken !== undefined && tokenMatches(given, s.bearerToken)) return true;
  return s.public === undefined && isLoopback(req.ip);
}
