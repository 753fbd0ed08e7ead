import { describe, expect, it } from "vitest";
import { clientAddress, clientProto, normaliseIp, parseCidr, PEER_HEADER, ProxyList } from "./client-address";

const h = (o: Record<string, string>) => new Headers(o);
const none = new ProxyList([]);
const proxies = new ProxyList(["10.0.0.5", "10.9.0.0/16", "fd00::/64"]);

describe("client address", () => {
  it("is the socket peer when no proxy is trusted, whatever the client's forwarded headers say", () => {
    const forged = h({ [PEER_HEADER]: "192.0.2.7", "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7", "x-forwarded-proto": "https" });
    const facts = clientAddress(forged, none, true);
    expect(facts).toEqual({ ip: "192.0.2.7", viaProxy: false });
    expect(clientProto(forged, facts)).toBe("http");
  });

  it("is the socket peer when the peer is not a trusted proxy", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "192.0.2.7", "x-forwarded-for": "10.0.0.5" }), proxies, true).ip).toBe("192.0.2.7");
  });

  it("walks X-Forwarded-For from the right past trusted proxies", () => {
    const via = (xff: string) => clientAddress(h({ [PEER_HEADER]: "::ffff:10.0.0.5", "x-forwarded-for": xff }), proxies, true);
    expect(via("203.0.113.9")).toEqual({ ip: "203.0.113.9", viaProxy: true });
    // The client wrote 6.6.6.6 itself; the nearest untrusted hop is what our proxy saw.
    expect(via("6.6.6.6, 203.0.113.9, 10.9.3.4").ip).toBe("203.0.113.9");
    expect(via("10.9.1.1, 10.9.3.4").ip).toBe("10.9.1.1");
    expect(via("junk, 203.0.113.9").ip).toBe("203.0.113.9");
    expect(via("203.0.113.9, junk").ip).toBe("10.0.0.5");
    expect(clientAddress(h({ [PEER_HEADER]: "fd00::1", "x-forwarded-for": "2001:db8::9" }), proxies, true).ip).toBe("2001:db8::9");
  });

  it("takes X-Real-IP and X-Forwarded-Proto only from a trusted proxy", () => {
    const headers = h({ [PEER_HEADER]: "10.0.0.5", "x-real-ip": "203.0.113.4", "x-forwarded-proto": "https" });
    const facts = clientAddress(headers, proxies, true);
    expect(facts.ip).toBe("203.0.113.4");
    expect(clientProto(headers, facts)).toBe("https");
    expect(clientAddress(h({ [PEER_HEADER]: "10.0.0.5" }), proxies, true).ip).toBe("10.0.0.5");
  });

  it("is unknown without the dashboard's server: no header is believed, the peer header included", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "192.0.2.7", "x-forwarded-for": "6.6.6.6" }), proxies, false)).toEqual({ ip: null, viaProxy: false });
    expect(clientAddress(h({ "x-forwarded-for": "6.6.6.6" }), proxies, true)).toEqual({ ip: null, viaProxy: false });
  });

  it("normalises IPv4-mapped, bracketed and ported forms", () => {
    expect(normaliseIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseIp("[::1]")).toBe("::1");
    expect(normaliseIp("10.1.2.3:5555")).toBe("10.1.2.3");
    expect(normaliseIp(" FD00::1 ")).toBe("fd00::1");
  });
});

describe("CIDRs", () => {
  it("parses addresses and ranges of both families, and says what is wrong otherwise", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    expect(parseCidr("10.0.0.0/33")).toMatch(/prefix length must be 0-32/);
    expect(parseCidr("fd00::/129")).toMatch(/prefix length must be 0-128/);
    expect(parseCidr("10.0.0.0/x")).toMatch(/prefix length/);
    expect(parseCidr("host/8")).toMatch(/does not start with an IPv4 or IPv6 address/);
  });

  it("match IPv4-mapped IPv6 peers against IPv4 ranges", () => {
    const l = new ProxyList(["127.0.0.0/8"]);
    expect(l.has("::ffff:127.0.0.1")).toBe(true);
    expect(l.has("128.0.0.1")).toBe(false);
    expect(l.has("not-an-ip")).toBe(false);
  });
});
