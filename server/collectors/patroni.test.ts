import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { close, closedPort, listen } from "@/server/testing/listen";
import { EXTRAS_MS, HEDGE_MS, HISTORY_LIMIT, probePatroni, toDcsConfig, toHistory } from "./patroni";
import type { PatroniTarget } from "./types";

/** GET /cluster as Patroni 3.0 answers it (utils.cluster_as_json). */
const CLUSTER = {
  members: [
    { name: "pg1", role: "leader", state: "running", api_url: "http://127.0.0.1:8011/patroni", host: "127.0.0.1", port: 5441, timeline: 3 },
    { name: "pg2", role: "sync_standby", state: "streaming", api_url: "http://127.0.0.1:8012/patroni", host: "127.0.0.1", port: 5442, timeline: 3, lag: 0 },
    { name: "pg3", role: "replica", state: "streaming", api_url: "http://127.0.0.1:8013/patroni", host: "127.0.0.1", port: 5443, timeline: 3, lag: "unknown" },
  ],
};

const servers: http.Server[] = [];
async function rest(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  return `http://127.0.0.1:${await listen(s)}`;
}
const answering = (body: unknown = CLUSTER) =>
  rest((req, res) => {
    if (req.url !== "/cluster") return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
const hanging = () => rest(() => {});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => close(s)));
});

const target = (...rests: string[]): PatroniTarget => ({
  id: "labcluster",
  component: "database",
  nodes: rests.map((r, i) => ({ name: `pg${i + 1}`, rest: r, dsn: `postgres://monitor@127.0.0.1:${5441 + i}/postgres` })),
});

describe("patroni collector", () => {
  it("reads members, roles, timelines and lag from the first node", async () => {
    const r = await probePatroni(target(await answering(), await answering()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.answeredBy).toBe("pg1");
    expect(r.data?.leader).toBe("pg1");
    expect(r.data?.members).toEqual([
      { name: "pg1", role: "leader", state: "running", host: "127.0.0.1", port: 5441, timeline: 3, lag: null, pendingRestart: false },
      { name: "pg2", role: "sync_standby", state: "streaming", host: "127.0.0.1", port: 5442, timeline: 3, lag: 0, pendingRestart: false },
      { name: "pg3", role: "replica", state: "streaming", host: "127.0.0.1", port: 5443, timeline: 3, lag: "unknown", pendingRestart: false },
    ]);
  });

  it("falls through to the next node when one refuses", async () => {
    const r = await probePatroni(target(`http://127.0.0.1:${await closedPort()}`, await answering()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.answeredBy).toBe("pg2");
    expect(r.data?.unanswered).toEqual([{ node: "pg1", error: expect.stringMatching(/^connection refused/) }]);
  });

  it("does not let a hung node use up the deadline", async () => {
    const start = performance.now();
    const r = await probePatroni(target(await hanging(), await answering()), AbortSignal.timeout(2_000));
    expect(r.ok).toBe(true);
    expect(r.data?.answeredBy).toBe("pg2");
    expect(performance.now() - start).toBeLessThan(HEDGE_MS + 400);
  });

  it("fails at the deadline when no node answers", async () => {
    const start = performance.now();
    const r = await probePatroni(target(await hanging(), await hanging()), AbortSignal.timeout(400));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no Patroni node answered: pg1: no answer within the deadline .*; pg2: no answer/);
    expect(performance.now() - start).toBeLessThan(800);
  });

  it("reports a cluster without a leader as failed, with the members", async () => {
    const noLeader = { members: CLUSTER.members.map((m) => ({ ...m, role: "replica" })) };
    const r = await probePatroni(target(await answering(noLeader)), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("no leader (cluster view from pg1)");
    expect(r.data?.members).toHaveLength(3);
  });

  it("rejects an answer that is not Patroni's", async () => {
    const r = await probePatroni(target(await answering({ hello: "world" })), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/unexpected \/cluster response/);
  });
});

/** GET /history and GET /config as Patroni 3.0 answers them (recorded in the lab). */
const HISTORY = [
  [1, 67676824, "no recovery target specified", "2026-11-25T18:46:56.709921+00:00", "pg3"],
  [2, 68091744, "no recovery target specified", "2026-11-25T18:47:46.573923+00:00", "pg2"],
];
/** GET /patroni, the fields besides `dcs_last_seen` trimmed. */
const NODE = { state: "running", role: "replica", timeline: 2, dcs_last_seen: 1764096466 };
const CONFIG = { ttl: 10, loop_wait: 2, retry_timeout: 4, maximum_lag_on_failover: 1048576, synchronous_mode: true, postgresql: { use_slots: true } };

/** A Patroni REST API serving /cluster, /history, /config and /patroni; `hang` lists paths that never answer. */
function patroniRest(hang: string[] = [], seen: string[] = []) {
  return rest((req, res) => {
    seen.push(req.url ?? "");
    if (hang.includes(req.url ?? "")) return;
    if (req.url === "/liveness") return res.writeHead(200).end();
    const body = { "/cluster": CLUSTER, "/history": HISTORY, "/config": CONFIG, "/patroni": NODE }[req.url ?? ""];
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
}

describe("patroni collector: /history, /config and /patroni", () => {
  it("adds timeline history, the DCS config and when the node last read the DCS, from the node that answered /cluster", async () => {
    const seen1: string[] = [];
    const seen2: string[] = [];
    const r = await probePatroni(target(`http://127.0.0.1:${await closedPort()}`, await patroniRest([], seen1), await patroniRest([], seen2)), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.answeredBy).toBe("pg2");
    expect(r.data?.history).toEqual([
      { timeline: 1, lsn: 67676824, reason: "no recovery target specified", at: "2026-11-25T18:46:56.709921+00:00", leader: "pg3" },
      { timeline: 2, lsn: 68091744, reason: "no recovery target specified", at: "2026-11-25T18:47:46.573923+00:00", leader: "pg2" },
    ]);
    expect(r.data?.dcsConfig).toEqual({ maximumLagOnFailover: 1048576, synchronousMode: "on", synchronousModeStrict: false, ttl: 10, loopWait: 2, retryTimeout: 4, failsafeMode: false });
    expect(r.data?.dcsLastSeen).toBe(1764096466);
    expect(seen1.sort()).toEqual(["/cluster", "/config", "/history", "/patroni"]);
    // The node not asked for the cluster view is asked whether its Patroni runs, nothing more.
    expect(seen2).toEqual(["/liveness"]);
    expect(r.data?.unanswered.map((u) => u.node)).toEqual(["pg1"]);
  });

  it("a node whose Patroni is gone is listed as unanswered, though another node's cluster view still lists it (the DCS's)", async () => {
    const r = await probePatroni(target(await patroniRest(), await patroniRest(), `http://127.0.0.1:${await closedPort()}`), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.answeredBy).toBe("pg1");
    expect(r.data?.unanswered).toEqual([{ node: "pg3", error: expect.stringMatching(/refused/) }]);
  });

  it("a hung /history costs at most EXTRAS_MS and is left out; the rest is kept", async () => {
    const start = performance.now();
    const r = await probePatroni(target(await patroniRest(["/history"])), AbortSignal.timeout(2_000));
    expect(performance.now() - start).toBeLessThan(EXTRAS_MS + 300);
    expect(r.ok).toBe(true);
    expect(r.data?.leader).toBe("pg1");
    expect(r.data?.history).toBeUndefined();
    expect(r.data?.dcsConfig?.ttl).toBe(10);
  });

  it("a node without /history and /config (404) still gives the cluster view", async () => {
    const r = await probePatroni(target(await answering()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data).not.toHaveProperty("history");
    expect(r.data).not.toHaveProperty("dcsConfig");
  });

  it("parses older 3-field history entries, skips junk, keeps the newest HISTORY_LIMIT", () => {
    expect(toHistory([[1, 100, "no recovery target specified"], ["x"], [], [2, "0/64", 7]])).toEqual([
      { timeline: 1, lsn: 100, reason: "no recovery target specified", at: null, leader: null },
      { timeline: 2, lsn: null, reason: "", at: null, leader: null },
    ]);
    const long = toHistory(Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => [i + 1, i, "r", null, "pg1"]));
    expect(long).toHaveLength(HISTORY_LIMIT);
    expect(long[0]?.timeline).toBe(6);
  });

  it("fills Patroni's defaults for keys the DCS config does not set", () => {
    expect(toDcsConfig({})).toEqual({ maximumLagOnFailover: 1048576, synchronousMode: "off", synchronousModeStrict: false, ttl: 30, loopWait: 10, retryTimeout: 10, failsafeMode: false });
    expect(toDcsConfig({ synchronous_mode: "quorum", synchronous_mode_strict: true }).synchronousMode).toBe("quorum");
    expect(toDcsConfig({ synchronous_mode: "on" }).synchronousMode).toBe("on");
    expect(toDcsConfig({ synchronous_mode: false }).synchronousMode).toBe("off");
    expect(toDcsConfig({ failsafe_mode: true }).failsafeMode).toBe(true);
  });
});
