/**
 * The client's address, which a client cannot choose. The dashboard's server (scripts/serve.mjs)
 * writes the TCP peer's address into PEER_HEADER on every request, replacing any copy the client
 * sent; forwarded headers (X-Forwarded-For, X-Real-IP, X-Forwarded-Proto) count only when that peer
 * is one of the configured trusted proxies. Served without that server (plain `next start`), the
 * peer is unknown and no forwarded header is believed: the address is then unknown, never guessed.
 * No "server-only": the admin command and unit tests load it.
 */
import { BlockList, isIP } from "node:net";

/** Set by scripts/serve.mjs from the socket; a client's copy is deleted before it is set. */
export const PEER_HEADER = "x-hacr-peer";
/** The resolved address, set by app/api/auth for better-auth (its advanced.ipAddress header). */
export const CLIENT_ADDRESS_HEADER = "x-hacr-client-address";

/** scripts/serve.mjs marks the process; without the mark PEER_HEADER could be a client's own. */
const PEER_MARK = Symbol.for("hacr.peerHeader");

export function peerHeaderIsSet(): boolean {
  return (globalThis as Record<symbol, unknown>)[PEER_MARK] === true;
}

/** A CIDR such as 10.0.0.0/8 or fd00::/8, or one address (a /32 or /128). */
export interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** The CIDR, or a sentence saying what is wrong with it. */
export function parseCidr(text: string): Cidr | string {
  const [addr = "", bits, ...rest] = text.trim().split("/");
  if (rest.length > 0) return `"${text}" is not a CIDR such as 10.0.0.0/8 or fd00::/8`;
  const v = isIP(addr);
  if (v === 0) return `"${text}" does not start with an IPv4 or IPv6 address`;
  const max = v === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return `"${text}": the prefix length must be 0-${max}`;
  return { address: addr, prefix, family: v === 4 ? "ipv4" : "ipv6" };
}

/** Matches addresses against a list of CIDRs (IPv4-mapped IPv6 addresses match their IPv4 ranges). */
export class ProxyList {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (typeof p === "string") throw new Error(p);
      this.list.addSubnet(p.address, p.prefix, p.family);
    }
    this.size = cidrs.length;
  }

  has(ip: string): boolean {
    const a = normaliseIp(ip);
    const v = isIP(a);
    if (v === 0 || this.size === 0) return false;
    return this.list.check(a, v === 4 ? "ipv4" : "ipv6");
  }
}

/** "::ffff:10.1.2.3" → "10.1.2.3"; "[::1]" → "::1"; a port after an IPv4 address is dropped. */
export function normaliseIp(raw: string): string {
  let ip = raw.trim();
  if (ip.startsWith("[")) ip = ip.slice(1, ip.indexOf("]") > 0 ? ip.indexOf("]") : undefined);
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  if (/^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(ip)) ip = ip.slice(7);
  return ip.toLowerCase();
}

export interface AddressFacts {
  /** The client's address, or null when it cannot be known (no peer header). */
  ip: string | null;
  /** Whether the request came through a trusted proxy (whose forwarded headers were then read). */
  viaProxy: boolean;
}

/**
 * The client's address for these headers. The socket peer when it is not a trusted proxy; else
 * X-Forwarded-For walked from the right past trusted proxies (the first untrusted hop is the
 * client), else X-Real-IP, else the proxy itself.
 */
export function clientAddress(headers: Headers, proxies: ProxyList, peerKnown: boolean = peerHeaderIsSet()): AddressFacts {
  if (!peerKnown) return { ip: null, viaProxy: false };
  const peerRaw = headers.get(PEER_HEADER);
  if (!peerRaw || isIP(normaliseIp(peerRaw)) === 0) return { ip: null, viaProxy: false };
  const peer = normaliseIp(peerRaw);
  if (!proxies.has(peer)) return { ip: peer, viaProxy: false };
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normaliseIp(s))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A malformed entry ends the chain: what lies left of it was written by the client.
    if (isIP(hop) === 0) return { ip: peer, viaProxy: true };
    if (!proxies.has(hop)) return { ip: hop, viaProxy: true };
  }
  if (hops.length > 0) return { ip: hops[0]!, viaProxy: true };
  const real = normaliseIp(headers.get("x-real-ip") ?? "");
  return { ip: isIP(real) !== 0 ? real : peer, viaProxy: true };
}

/** The scheme the browser used: X-Forwarded-Proto only from a trusted proxy, else plain http. */
export function clientProto(headers: Headers, facts: AddressFacts): "http" | "https" {
  if (!facts.viaProxy) return "http";
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https" ? "https" : "http";
}
