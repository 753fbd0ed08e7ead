import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { VrrpInstance } from "./vrrp";
import { VipProbe, identityOf, nodeFor, probeVipIdentity } from "./vrrp-vip";

/** The identity probe against real local servers: an HTTP /name, a TCP banner, and ones that misbehave. */
const NODES = [{ name: "ka1" }, { name: "ka2", identity: "lb2.prod.example" }];
let answer = "ka1\n";
let httpPort = 0;
let tcpPort = 0;
let silentPort = 0;
const sockets = new Set<net.Socket>();
const servers: (http.Server | net.Server)[] = [];

beforeAll(async () => {
  const h = http.createServer((req, res) => {
    if (req.url === "/500") return void res.writeHead(500).end("oops");
    if (req.url === "/hang") return; // never answers
    res.writeHead(200, { "content-type": "text/plain" }).end(answer);
  });
  // Answers "WHO" with the identity, like a tiny TCP identity service.
  const t = net.createServer((s) => s.on("data", (d) => (d.toString().startsWith("WHO") ? s.end(`node=${answer}`) : s.end("?\n"))));
  const silent = net.createServer((s) => void sockets.add(s));
  for (const [srv, set] of [[h, (p: number) => (httpPort = p)], [t, (p: number) => (tcpPort = p)], [silent, (p: number) => (silentPort = p)]] as const) {
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    set((srv.address() as AddressInfo).port);
    servers.push(srv);
  }
  h.on("connection", (s) => sockets.add(s));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const parse = (v: unknown) => VipProbe.parse(v);

describe("vip identity probe", () => {
  it("HTTP: the body's first line names the node", async () => {
    answer = "ka1\n";
    const r = await probeVipIdentity(parse({ url: `http://127.0.0.1:${httpPort}/name` }), NODES, AbortSignal.timeout(2000));
    expect(r).toMatchObject({ node: "ka1", answer: "ka1", error: null });
  });

  it("a new connection each probe: the answer follows the server, not a pooled socket", async () => {
    const p = parse({ url: `http://127.0.0.1:${httpPort}/name` });
    answer = "ka1";
    expect((await probeVipIdentity(p, NODES, AbortSignal.timeout(2000))).node).toBe("ka1");
    answer = "KA2-other";
    expect(await probeVipIdentity(p, NODES, AbortSignal.timeout(2000))).toMatchObject({ node: null, answer: "KA2-other", error: null });
  });

  it("a node's configured identity (its hostname) maps to its name, case-insensitively", async () => {
    answer = "LB2.prod.example\n";
    const r = await probeVipIdentity(parse({ url: `http://127.0.0.1:${httpPort}/name` }), NODES, AbortSignal.timeout(2000));
    expect(r).toMatchObject({ node: "ka2", answer: "LB2.prod.example" });
  });

  it("TCP: send, read the first line, pick the identity with `match`", async () => {
    answer = "ka2\n";
    const r = await probeVipIdentity(parse({ address: `127.0.0.1:${tcpPort}`, send: "WHO\n", match: "node=(\\S+)" }), [{ name: "ka1" }, { name: "ka2" }], AbortSignal.timeout(2000));
    expect(r).toMatchObject({ node: "ka2", answer: "ka2", error: null });
  });

  it("HTTP 500, a refused connection and a hung server are errors, the last within the probe's own deadline", async () => {
    const e500 = await probeVipIdentity(parse({ url: `http://127.0.0.1:${httpPort}/500` }), NODES, AbortSignal.timeout(2000));
    expect(e500).toMatchObject({ node: null, answer: null, error: "the VIP answered HTTP 500" });
    const refused = await probeVipIdentity(parse({ address: "127.0.0.1:1" }), NODES, AbortSignal.timeout(2000));
    expect(refused.error).toBe("connection refused (asking the VIP who it is)");
    for (const p of [{ url: `http://127.0.0.1:${httpPort}/hang`, timeoutMs: 200 }, { address: `127.0.0.1:${silentPort}`, timeoutMs: 200 }]) {
      const r = await probeVipIdentity(parse(p), NODES, AbortSignal.timeout(5000));
      expect(r.error).toMatch(/^no answer within the deadline \(\d+ ms\) \(asking the VIP who it is\)$/);
      expect(r.latencyMs).toBeGreaterThanOrEqual(190);
      expect(r.latencyMs).toBeLessThan(1500);
    }
  });

  it("the scheduler's deadline wins when it is shorter", async () => {
    const r = await probeVipIdentity(parse({ url: `http://127.0.0.1:${httpPort}/hang`, timeoutMs: 5000 }), NODES, AbortSignal.timeout(150));
    expect(r.error).toMatch(/^no answer within the deadline/);
    expect(r.latencyMs).toBeLessThan(1500);
  });

  it("identityOf and nodeFor", () => {
    expect(identityOf("\n  ka1  \nmore")).toBe("ka1");
    expect(identityOf("node: lb1 pid 3", "node: (\\S+)")).toBe("lb1");
    expect(identityOf("nothing", "node: (\\S+)")).toBeNull();
    expect(nodeFor("KA1", NODES)).toBe("ka1");
    expect(nodeFor("ka2", NODES)).toBeNull(); // ka2 answers as its hostname
  });
});

describe("vipProbe config", () => {
  const instance = (vipProbe: unknown) => ({
    id: "vi", component: "lb", instance: "VI", virtualRouterId: 1, vips: ["10.0.0.1"], nodes: [{ name: "a" }, { name: "b" }], vipProbe,
  });
  const problems = (vipProbe: unknown) => {
    const r = VrrpInstance.safeParse(instance(vipProbe));
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  it("accepts the HTTP and TCP forms with a default deadline", () => {
    expect(VrrpInstance.parse(instance({ url: "http://10.0.0.1:8080/name" })).vipProbe).toEqual({ url: "http://10.0.0.1:8080/name", timeoutMs: 1000 });
    expect(VrrpInstance.parse(instance({ address: "10.0.0.1:9000", timeoutMs: 300 })).vipProbe).toEqual({ address: "10.0.0.1:9000", send: "", timeoutMs: 300 });
  });
  it("names the field and the fix on a bad probe", () => {
    expect(problems({ url: "ftp://x" })).toEqual(["vipProbe.url: expected a URL such as http://10.0.1.40:8008"]);
    expect(problems({ url: "http://10.0.0.1:8080/name", timeoutMs: 10 })).toEqual(["vipProbe.timeoutMs: expected at least 50 ms"]);
    expect(problems({ url: "http://10.0.0.1/", match: "(" })).toEqual(["vipProbe.match: expected a regular expression whose first group (or whole match) is the node's identity"]);
    expect(problems({ port: 8080 })).toEqual([
      "vipProbe: expected { url: http://VIP:PORT/name } (HTTP) or { address: VIP:PORT, send?: text } (TCP), each with an optional timeoutMs and match",
    ]);
    expect(z.safeParse(VipProbe, { url: "http://10.0.0.1/", extra: 1 }).success).toBe(false);
  });
});
