import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/server/config/load";
import { judgeEtcd } from "@/server/health/dcs";
import type { Observation } from "@/server/health/types";
import { hexId, readEndpoint, toEtcdData, unanswered, type EtcdData, type Reply } from "./etcd";

/**
 * Replies recorded from a real etcd 3.4.23 cluster of three members (t1..t3): healthy, with t3
 * killed (quorum kept), and with t2 frozen too (t1 alone, no quorum).
 */
const fixture = (name: string, status = 200): Reply => ({ status, text: readFileSync(new URL(`./fixtures/etcd/${name}.json`, import.meta.url), "utf8") });
const URLS = ["http://127.0.0.1:23791", "http://127.0.0.1:23793", "http://127.0.0.1:23795"] as const;

const answer = (i: number, state: "healthy" | "onedown" | "noquorum", healthStatus = 200) =>
  readEndpoint(URLS[i]!, {
    health: fixture(`${state}-etcd${i + 1}-health`, healthStatus),
    status: fixture(`${state}-etcd${i + 1}-status`),
    members: fixture(state === "noquorum" ? "noquorum-etcd1-members" : "members"),
  }, 2);

const observe = (data: EtcdData, ok = true): Observation<EtcdData> => ({
  unitKey: "etcd:c1",
  kind: "etcd",
  targetId: "c1",
  component: "database",
  at: 0,
  result: ok ? { ok: true, latencyMs: 3, data } : { ok: false, latencyMs: 3, error: "no etcd member is healthy (no leader, or no quorum)", data },
});

describe("etcd replies (recorded from etcd 3.4)", () => {
  it("a healthy cluster: every member healthy, one leader by name, raft term and index, DB size", () => {
    const d = toEtcdData([0, 1, 2].map((i) => answer(i, "healthy")), 3);
    expect(d.endpoints.map((e) => [e.endpoint, e.member, e.healthy, e.leader, e.raftTerm])).toEqual([
      ["127.0.0.1:23791", "t1", true, "t1", 12],
      ["127.0.0.1:23793", "t2", true, "t1", 12],
      ["127.0.0.1:23795", "t3", true, "t1", 12],
    ]);
    expect(d.endpoints[0]).toMatchObject({ raftIndex: 20, dbSizeBytes: 20480, version: "3.4.23", errors: [], error: null });
    expect(d.members.map((m) => [m.name, m.id])).toEqual([["t2", "453cc59a2fe45b22"], ["t1", "7b449b5b5d8e57fe"], ["t3", "92ce7609e6660473"]]);
    expect([d.leader, d.raftTerm, d.voters, d.quorum, d.healthy]).toEqual(["t1", 12, 3, 2, 3]);
    expect(judgeEtcd(observe(d))).toEqual({ status: "UP", reason: "leader t1, 3 of 3 members healthy (quorum 2), raft term 12" });
  });

  it("one member killed: DEGRADED, naming it by the member list, quorum kept", () => {
    const d = toEtcdData([answer(0, "onedown"), answer(1, "onedown"), unanswered(URLS[2], "connection refused", 1)], 3);
    expect(d.endpoints[2]).toMatchObject({ member: "t3", healthy: null, error: "connection refused" });
    const j = judgeEtcd(observe(d));
    expect(j.status).toBe("DEGRADED");
    expect(j.reason).toBe("member t3 (127.0.0.1:23795) does not answer (connection refused); quorum kept: leader t1, 2 of 3 members healthy (quorum 2), raft term 7");
  });

  it("two members gone: the survivor answers /health false (HTTP 503) and 'no leader': DOWN, no quorum", () => {
    const d = toEtcdData(
      [answer(0, "noquorum", 503), unanswered(URLS[1], "no answer within the deadline (500 ms)", 500), unanswered(URLS[2], "connection refused", 1)],
      3,
    );
    expect(d.endpoints[0]).toMatchObject({ healthy: false, leader: null, errors: ["etcdserver: no leader"] });
    expect([d.leader, d.healthy]).toEqual([null, 0]);
    expect(judgeEtcd(observe(d, false))).toEqual({ status: "DOWN", reason: "etcd has no quorum: 1 of 3 members answer, none healthy (etcdserver: no leader)" });
  });

  it("nothing answers: DOWN, unreachable, each endpoint with its reason", () => {
    const d = toEtcdData(URLS.map((u) => unanswered(u, "connection refused", 1)), 3);
    expect(d.voters).toBe(3);
    expect(judgeEtcd(observe(d, false))).toEqual({
      status: "DOWN",
      reason: "etcd unreachable: 127.0.0.1:23791 connection refused; 127.0.0.1:23793 connection refused; 127.0.0.1:23795 connection refused",
    });
  });

  it("a reply that is not etcd's makes that endpoint unanswered, with a reason safe to show", () => {
    const a = readEndpoint(URLS[0], { health: { status: 200, text: "<html>" }, status: fixture("healthy-etcd1-status"), members: null }, 1);
    expect(a.endpoint.error).toBe("unexpected /health response (not JSON)");
    const refused = readEndpoint(URLS[0], { health: { status: 401, text: "" }, status: { status: 401, text: "" }, members: null }, 1);
    expect(refused.endpoint.error).toBe("etcd refused the credentials (HTTP 401); check dcs.username and dcs.password");
  });

  it("member ids: etcd's decimal uint64 as etcdctl's hex, without losing precision", () => {
    expect(hexId("10578522359632102515")).toBe("92ce7609e6660473");
    expect(hexId("abc")).toBe("abc");
  });
});

describe("clusters[].dcs in the config", () => {
  const yaml = (dcs: string) => `
version: 1
clusters:
  - id: c1
    component: database
    nodes: [{ name: pg1, rest: "http://127.0.0.1:8008", dsn: "postgres://monitor@127.0.0.1:5432/postgres" }]
    dcs: ${dcs}
`;
  const problems = (dcs: string, vars: Record<string, string> = {}) => {
    const env = { NODE_ENV: "test", ...vars } as const;
    try {
      parseConfig(yaml(dcs), "/tmp/dcs-test.yaml", env);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.problems;
      throw e;
    }
  };

  it("takes endpoints, etcd credentials and TLS material by reference", () => {
    const cfg = parseConfig(
      yaml(`{ endpoints: ["https://10.0.1.30:2379"], username: mon, password: { env: ETCD_PW }, tls: { ca: { env: ETCD_CA } } }`),
      "/tmp/dcs-test.yaml",
      { NODE_ENV: "test", ETCD_PW: "s3cret", ETCD_CA: "-----BEGIN CERTIFICATE-----" },
    );
    const dcs = cfg.clusters[0]!.dcs!;
    expect(dcs.password!.reveal()).toBe("s3cret");
    expect(dcs.tls!.ca!.reveal()).toContain("BEGIN CERTIFICATE");
    expect(JSON.stringify(dcs)).not.toContain("s3cret");
  });

  it("names the field and the fix on error", () => {
    expect(problems("{ endpoints: [] }")).toEqual([
      "clusters[0].dcs.endpoints: list at least one etcd client URL, e.g. http://10.0.1.30:2379 (every member, as in Patroni's etcd3.hosts)",
    ]);
    expect(problems(`{ endpoints: ["10.0.1.30:2379"] }`)[0]).toMatch(/^clusters\[0\]\.dcs\.endpoints\[0\]: expected a URL/);
    expect(problems(`{ endpoints: ["http://a:2379"], username: mon }`)).toEqual(["clusters[0].dcs.password: give both username and password (etcd's auth), or neither"]);
    expect(problems(`{ endpoints: ["http://a:2379"], password: "inline" }`)[0]).toMatch(/^clusters\[0\]\.dcs\.password: expected a secret reference/);
    expect(problems(`{ endpoints: ["https://a:2379"], tls: { cert: { env: C } } }`, { C: "x" })).toEqual([
      "clusters[0].dcs.tls.key: give both cert and key (a client certificate and its private key), or neither",
    ]);
    expect(problems(`{ endpoints: ["http://a:2379"], tls: { ca: { env: C } } }`, { C: "x" })).toEqual([
      "clusters[0].dcs.tls: tls is only used with https:// endpoints; write the endpoints as https://, or drop tls",
    ]);
    expect(problems(`{ endpoints: ["http://a:2379"], hosts: x }`)).toEqual(["clusters[0].dcs.hosts: unknown key (check its spelling against the example config)"]);
  });
});
