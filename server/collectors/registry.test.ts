import { describe, expect, it } from "vitest";
import { parseConfig } from "@/server/config/load";
import { unitDefs } from "@/server/health/units";
import { HaConfig } from "@/server/config/schema";
import { unitsFromConfig } from "@/server/scheduler/units";
import { unitKey } from "@/lib/keys";
import { marketDataSamples } from "./marketdata";
import { postgresSamples, type PostgresData } from "./postgres";
import { collectors, KINDS, samplesOf, TARGET_SECTIONS } from "./registry";

const YAML = `
version: 1
clusters:
  - id: c1
    name: First
    component: database
    nodes:
      - { name: pg1, rest: "http://127.0.0.1:8008", dsn: "postgres://monitor@127.0.0.1:5432/postgres" }
      - { name: pg2, rest: "http://127.0.0.1:8009", dsn: "postgres://monitor@127.0.0.1:5433/postgres" }
    dcs: { endpoints: ["http://127.0.0.1:2379", "http://127.0.0.1:2381"] }
  - id: c2
    component: database
    intervalMs: 2000
    nodes:
      - { name: pgA, rest: "http://127.0.0.1:8010", dsn: "postgres://monitor@127.0.0.1:5434/postgres" }
sentinels:
  - { id: cache, component: cache, masterName: mymaster, sentinels: ["127.0.0.1:26379"] }
redis:
  - { id: r1, component: cache, url: "redis://127.0.0.1:6379" }
http:
  - { id: te1, component: trading-engine, url: "http://127.0.0.1:8080/health" }
tcp:
  - { id: te1-ping, component: trading-engine, address: "127.0.0.1:5555" }
marketData:
  - { id: md-sentinel, component: market-data-gateway, redis: cache }
  - { id: md-direct, component: market-data-gateway, redis: r1 }
`;
const config = parseConfig(YAML, "/tmp/registry-test.yaml");

const PRIMARY: PostgresData = {
  node: "pg1",
  inRecovery: false,
  timeline: 3,
  serverVersion: 170000,
  connectMs: 0,
  currentLsn: "0/3000000",
  replication: [
    { applicationName: "pg2", clientAddr: null, state: "streaming", syncState: "sync", sendLagBytes: 1, writeLagBytes: 2, flushLagBytes: 3, replayLagBytes: 4, writeLagSeconds: null, flushLagSeconds: null, replayLagSeconds: null },
    { applicationName: "pg3", clientAddr: null, state: "startup", syncState: "async", sendLagBytes: null, writeLagBytes: null, flushLagBytes: null, replayLagBytes: null, writeLagSeconds: null, flushLagSeconds: null, replayLagSeconds: null },
  ],
  standby: null,
};
const STANDBY: PostgresData = {
  ...PRIMARY,
  node: "pg2",
  inRecovery: true,
  currentLsn: null,
  replication: [],
  standby: { receiveLsn: "0/3000000", replayLsn: "0/2FFFF00", replayGapBytes: 256, replayLagSeconds: 1.5, lastReplayAt: null, replayPaused: false, walReceiver: null },
};

describe("the collector registry", () => {
  it("is the one list of kinds, and its sections are the config's target sections in order", () => {
    expect(KINDS).toEqual(Object.keys(collectors));
    expect(TARGET_SECTIONS).toEqual(["clusters", "sentinels", "redis", "haproxy", "vrrp", "http", "tcp", "marketData"]);
    expect(Object.keys(HaConfig.shape)).toEqual(["version", "title", "defaults", "sla", "components", ...TARGET_SECTIONS, "auth", "wall", "metrics", "alerting"]);
  });

  it("gives kinds that read one section the same schema", () => {
    expect(collectors.postgres.section).toBe(collectors.patroni.section);
    for (const k of KINDS) for (const j of KINDS) {
      if (collectors[k].section.name === collectors[j].section.name) expect(collectors[k].section.schema).toBe(collectors[j].section.schema);
    }
  });
});

describe("units derived from a config", () => {
  const units = unitsFromConfig(config);

  it("lists them in config order: by section, by entry, a cluster's patroni unit before its nodes, its DCS (when named) after", () => {
    expect(units.map((u) => u.key)).toEqual([
      unitKey("patroni", "c1"),
      unitKey("postgres", "c1", "pg1"),
      unitKey("postgres", "c1", "pg2"),
      unitKey("etcd", "c1"),
      unitKey("patroni", "c2"),
      unitKey("postgres", "c2", "pgA"),
      unitKey("sentinel", "cache"),
      unitKey("redis", "r1"),
      unitKey("http", "te1"),
      unitKey("tcp", "te1-ping"),
      unitKey("marketdata", "md-sentinel"),
      unitKey("marketdata", "md-direct"),
    ]);
  });

  it("carries each kind's own target, section, label and timing", () => {
    const pg = units.find((u) => u.key === unitKey("postgres", "c1", "pg2"));
    if (pg?.kind !== "postgres") throw new Error("no postgres unit");
    expect([pg.section, pg.targetId, pg.node, pg.label, pg.component]).toEqual(["clusters", "c1", "pg2", "First / pg2", "database"]);
    expect(pg.target.cluster.id).toBe("c1");
    expect(pg.target.node.dsn).toBe("postgres://monitor@127.0.0.1:5433/postgres");

    const dcs = units.find((u) => u.key === unitKey("etcd", "c1"));
    if (dcs?.kind !== "etcd") throw new Error("no etcd unit");
    expect([dcs.section, dcs.label, dcs.component, dcs.target.dcs.endpoints]).toEqual(["clusters", "First", "database", ["http://127.0.0.1:2379", "http://127.0.0.1:2381"]]);

    const c2 = units.filter((u) => u.targetId === "c2");
    expect(c2.map((u) => [u.intervalMs, u.timeoutMs])).toEqual([[2000, 800], [2000, 800]]);
  });

  it("are the units the health evaluator judges (its own list must follow the registry)", () => {
    expect(unitDefs(config).map((d) => [d.key, d.kind])).toEqual(units.map((u) => [u.key, u.kind]));
  });

  it("resolves a market-data check to the Sentinel group or Redis instance it names", () => {
    const sources = units.flatMap((u) => (u.kind === "marketdata" ? [u.target.source] : []));
    expect(sources.map((s) => (s.kind === "sentinel" ? `sentinel ${s.group.masterName}` : `redis ${s.instance.url}`))).toEqual([
      "sentinel mymaster",
      "redis redis://127.0.0.1:6379",
    ]);
  });
});

describe("samples", () => {
  it("postgres: each standby's full lag in bytes on the primary, and a standby's own replay lag in seconds", () => {
    expect(postgresSamples(PRIMARY, { targetId: "c1" })).toEqual([{ subject: "c1/pg2", metric: "lag_bytes", value: 10 }]);
    expect(postgresSamples(STANDBY, { targetId: "c1" })).toEqual([{ subject: "c1/pg2", metric: "lag_seconds", value: 1.5 }]);
  });

  it("market data: its age, nothing when the key is missing", () => {
    const d = { key: "last_market_update", ageSeconds: 0.4, tradingEnabled: true, readFrom: "127.0.0.1:6379" };
    expect(marketDataSamples(d, { targetId: "md" })).toEqual([{ subject: "md", metric: "market_data_age_s", value: 0.4 }]);
    expect(marketDataSamples({ ...d, ageSeconds: null }, { targetId: "md" })).toEqual([]);
  });

  it("come only from a successful probe, and only for kinds that define them", () => {
    const unit = { key: unitKey("postgres", "c1", "pg1"), targetId: "c1", node: "pg1" };
    expect(samplesOf({ kind: "postgres", ok: true, latencyMs: 3, data: PRIMARY }, unit)).toHaveLength(1);
    expect(samplesOf({ kind: "postgres", ok: false, latencyMs: 3, error: "connection refused", data: PRIMARY }, unit)).toEqual([]);
    expect(samplesOf({ kind: "http", ok: true, latencyMs: 3, data: { statusCode: 200, body: null, attempts: 1 } }, { key: "http:te1", targetId: "te1" })).toEqual([]);
  });
});
