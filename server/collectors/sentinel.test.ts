import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "@/server/config/load";
import { close, closedPort, listen } from "@/server/testing/listen";
import { probeRedis } from "./redis";
import { closeRedisClients } from "./redis-connection";
import { SILENT, startRespServer, type Resp, type RespServer } from "./testing/resp-server";
import {
  backoffMs, createEventDeduper, eventMasterName, parseSentinelMaster, parseSentinelReplicas, probeSentinel, watchSentinel,
  type SentinelWatch,
} from "./sentinel";
import type { PushEvent, RedisTarget, SentinelTarget } from "./types";

const servers: net.Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  closeRedisClients();
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => close(s)));
});

/** Accepts connections and never answers; counts them. */
async function silentServer(): Promise<{ port: number; connections: () => number }> {
  let n = 0;
  const s = net.createServer((sock) => {
    n++;
    sockets.push(sock);
    sock.on("error", () => {});
  });
  servers.push(s);
  return { port: await listen(s), connections: () => n };
}

const sentinelTarget = (...ports: number[]): SentinelTarget => ({
  id: "labredis",
  component: "cache",
  masterName: "labredis",
  sentinels: ports.map((p) => `127.0.0.1:${p}`),
  sentinelPassword: new Secret("sentinel-secret"),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("sentinel collector (failure paths; the lab tests the real thing)", () => {
  it("reports every sentinel refusing", async () => {
    const r = await probeSentinel(sentinelTarget(await closedPort(), await closedPort()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    expect(r.data?.sentinels.map((s) => s.error)).toEqual(["connection refused", "connection refused"]);
    if (!r.ok) expect(r.error).toMatch(/^no sentinel named a master/);
  });

  it("stops at the deadline on a silent sentinel, with one connection and no retries", async () => {
    const silent = await silentServer();
    const start = performance.now();
    const r = await probeSentinel(sentinelTarget(silent.port), AbortSignal.timeout(300));
    const elapsed = performance.now() - start;
    expect(r.ok).toBe(false);
    expect(r.data?.sentinels[0]?.error).toMatch(/^no answer within the deadline/);
    expect(elapsed).toBeLessThan(700);
    await sleep(300);
    expect(silent.connections()).toBe(1);
    expect(JSON.stringify(r)).not.toContain("sentinel-secret");
  });
});

describe("redis collector (failure paths)", () => {
  const target = (port: number): RedisTarget => ({ id: "redis1", component: "cache", url: `redis://127.0.0.1:${port}`, password: new Secret("redis-secret") });

  it("reports a refused connection", async () => {
    const r = await probeRedis(target(await closedPort()), AbortSignal.timeout(1_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe("connection refused");
  });

  it("stops at the deadline on a silent server", async () => {
    const silent = await silentServer();
    const start = performance.now();
    const r = await probeRedis(target(silent.port), AbortSignal.timeout(300));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no answer within the deadline/);
    expect(performance.now() - start).toBeLessThan(700);
    await sleep(300);
    expect(silent.connections()).toBe(1);
  });
});

/** `SENTINEL MASTER labredis` as the lab's Sentinel 7.0 answers it. */
const MASTER_REPLY = [
  "name", "labredis", "ip", "127.0.0.1", "port", "6391", "runid", "f92bd6b21e31c46928ca577e6f0da304de2f5602", "flags", "master",
  "link-pending-commands", "0", "link-refcount", "1", "last-ping-sent", "0", "last-ok-ping-reply", "211", "last-ping-reply", "211",
  "down-after-milliseconds", "1000", "info-refresh", "7009", "role-reported", "master", "role-reported-time", "539065",
  "config-epoch", "0", "num-slaves", "1", "num-other-sentinels", "2", "quorum", "2", "failover-timeout", "3000", "parallel-syncs", "1",
];
const REPLICAS_REPLY = [
  [
    "name", "127.0.0.1:6392", "ip", "127.0.0.1", "port", "6392", "runid", "4208bb2f4a5fc22371be6eefd259118bf4ccaa3c", "flags", "slave",
    "master-link-down-time", "0", "master-link-status", "ok", "master-host", "127.0.0.1", "master-port", "6391",
    "slave-priority", "100", "slave-repl-offset", "167830", "replica-announced", "1",
  ],
];

describe("SENTINEL reply parsing", () => {
  it("reads SENTINEL MASTER", () => {
    expect(parseSentinelMaster(MASTER_REPLY)).toEqual({
      flags: ["master"], replicas: 1, otherSentinels: 2, quorum: 2, configEpoch: 0, failoverTimeoutMs: 3000,
    });
    expect(parseSentinelMaster(["flags", "master,s_down,o_down"]).flags).toEqual(["master", "s_down", "o_down"]);
  });

  it("reads SENTINEL REPLICAS", () => {
    expect(parseSentinelReplicas(REPLICAS_REPLY)).toEqual([{ address: "127.0.0.1:6392", flags: ["slave"], masterLinkStatus: "ok", replOffset: 167830 }]);
    expect(parseSentinelReplicas([["ip", "127.0.0.1", "port", "6392", "flags", "s_down,slave,disconnected"]])).toEqual([
      { address: "127.0.0.1:6392", flags: ["s_down", "slave", "disconnected"], masterLinkStatus: null, replOffset: null },
    ]);
    expect(parseSentinelReplicas(null)).toEqual([]);
  });
});

/** A scripted sentinel for `labredis`. */
function sentinelHandler(opts: { master?: [string, string] | null; ckquorum?: Resp } = {}) {
  return (args: string[]): Resp | undefined => {
    if (args[0]?.toUpperCase() !== "SENTINEL") return undefined;
    if (args[2] !== "labredis") return { error: "ERR No such master with that name" };
    switch (args[1]?.toUpperCase()) {
      case "GET-MASTER-ADDR-BY-NAME":
        return opts.master === undefined ? ["127.0.0.1", "6391"] : opts.master;
      case "MASTER":
        return MASTER_REPLY;
      case "REPLICAS":
        return REPLICAS_REPLY;
      case "SENTINELS":
        return [["name", "a", "ip", "127.0.0.1", "port", "26392"], ["name", "b", "ip", "127.0.0.1", "port", "26393"]];
      case "CKQUORUM":
        return opts.ckquorum ?? { simple: "OK 3 usable Sentinels. Quorum and failover authorization can be reached" };
      default:
        return { error: "ERR unknown subcommand" };
    }
  };
}

describe("sentinel collector against scripted sentinels", () => {
  const fakes: RespServer[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  it("reads every view of the group and the quorum check", async () => {
    const a = await startRespServer(sentinelHandler());
    fakes.push(a);
    const target = { ...sentinelTarget(a.port, await closedPort()), sentinelPassword: undefined };
    const r = await probeSentinel(target, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data).toMatchObject({ master: "127.0.0.1:6391", agree: true, quorumOk: true });
    expect(r.data?.sentinels[0]).toMatchObject({
      ok: true, flags: ["master"], replicas: 1, otherSentinels: 2, quorum: 2, configEpoch: 0, failoverTimeoutMs: 3000, knownSentinels: 2,
      ckquorum: { ok: true, message: "OK 3 usable Sentinels. Quorum and failover authorization can be reached" },
    });
    expect(r.data?.sentinels[0]?.replicaNodes).toHaveLength(1);
    expect(r.data?.sentinels[1]).toMatchObject({ ok: false, error: "connection refused" });
  });

  it("reports NOQUORUM without losing the rest of the view", async () => {
    const a = await startRespServer(sentinelHandler({ ckquorum: { error: "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority" } }));
    fakes.push(a);
    const r = await probeSentinel({ ...sentinelTarget(a.port), sentinelPassword: undefined }, AbortSignal.timeout(1_000));
    expect(r.ok).toBe(true);
    expect(r.data?.quorumOk).toBe(false);
    expect(r.data?.sentinels[0]?.ckquorum).toEqual({ ok: false, message: "NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the majority" });
    expect(r.data?.sentinels[0]?.quorum).toBe(2);
  });

  it("marks disagreeing sentinels", async () => {
    const a = await startRespServer(sentinelHandler());
    const b = await startRespServer(sentinelHandler({ master: ["127.0.0.1", "6392"] }));
    fakes.push(a, b);
    const r = await probeSentinel({ ...sentinelTarget(a.port, b.port), sentinelPassword: undefined }, AbortSignal.timeout(1_000));
    expect(r.data).toMatchObject({ agree: false, master: null });
  });
});

describe("sentinel events", () => {
  it("attributes each payload shape to its master", () => {
    expect(eventMasterName("+switch-master", "labredis 127.0.0.1 6391 127.0.0.1 6392")).toBe("labredis");
    expect(eventMasterName("+sdown", "master labredis 127.0.0.1 6391")).toBe("labredis");
    expect(eventMasterName("+promoted-slave", "slave 127.0.0.1:6392 127.0.0.1 6392 @ labredis 127.0.0.1 6391")).toBe("labredis");
    expect(eventMasterName("+sdown", "sentinel 497108fa 127.0.0.1 26392 @ other 127.0.0.1 7000")).toBe("other");
    expect(eventMasterName("+tilt", "#tilt mode entered")).toBeNull();
  });

  it("passes an event once within the window, again after it", () => {
    let t = 1_000;
    const fresh = createEventDeduper(1_000, () => t);
    expect(fresh("+switch-master", "labredis a b c d")).toBe(true);
    t += 400;
    expect(fresh("+switch-master", "labredis a b c d")).toBe(false);
    expect(fresh("+sdown", "master labredis a b")).toBe(true);
    expect(fresh("+switch-master", "labredis c d a b")).toBe(true);
    t += 700;
    expect(fresh("+switch-master", "labredis a b c d")).toBe(true);
  });

  it("backs off exponentially up to a cap", () => {
    expect([0, 1, 2, 3, 4, 5, 30].map((n) => backoffMs(n, 250, 5_000, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(backoffMs(0, 250, 5_000, () => 1)).toBe(300);
  });
});

describe("watchSentinel against scripted sentinels", () => {
  const fakes: RespServer[] = [];
  let watch: SentinelWatch | undefined;
  afterEach(async () => {
    watch?.close();
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  const until = async (cond: () => boolean, ms = 3_000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error("condition not met in time");
      await sleep(10);
    }
  };

  it("subscribes on every sentinel, de-duplicates, and ignores other masters", async () => {
    const a = await startRespServer();
    const b = await startRespServer();
    fakes.push(a, b);
    const events: PushEvent[] = [];
    watch = watchSentinel({ ...sentinelTarget(a.port, b.port), sentinelPassword: undefined }, (e) => events.push(e));
    await until(() => watch!.subscribed().length === 2);
    const payload = "labredis 127.0.0.1 6391 127.0.0.1 6392";
    a.publish("+switch-master", "+switch-master", payload);
    // Two sockets deliver in no fixed order: let a's copy arrive first so the source is known.
    await until(() => events.length >= 1);
    b.publish("+switch-master", "+switch-master", payload);
    b.publish("+failover-*", "+failover-end", "master labredis 127.0.0.1 6391");
    a.publish("+sdown", "+sdown", "master other 127.0.0.1 7000");
    await until(() => events.length >= 2);
    await sleep(100);
    expect(events.map((e) => [e.type, e.message, e.targetId])).toEqual([
      ["+switch-master", payload, "labredis"],
      ["+failover-end", "master labredis 127.0.0.1 6391", "labredis"],
    ]);
    expect(events[0]?.source).toBe(`127.0.0.1:${a.port}`);
    expect(a.commands.find((c) => c[0] === "PSUBSCRIBE")).toEqual(expect.arrayContaining(["+switch-master", "+odown", "-failover-abort-*"]));
  });

  it("authenticates, reconnects with backoff when a sentinel drops it, and stops on close", async () => {
    const a = await startRespServer();
    fakes.push(a);
    const events: PushEvent[] = [];
    watch = watchSentinel(sentinelTarget(a.port), (e) => events.push(e), { minBackoffMs: 20, maxBackoffMs: 50 });
    await until(() => watch!.subscribed().length === 1);
    expect(a.commands.filter((c) => c[0] === "AUTH")).toEqual([["AUTH", "sentinel-secret"]]);
    a.connections[0]!.socket.destroy();
    await until(() => watch!.subscribed().length === 1 && a.connections.length === 2);
    a.publish("+odown", "+odown", "master labredis 127.0.0.1 6391 #quorum 2/2");
    await until(() => events.length === 1);
    watch.close();
    await sleep(50);
    a.connections[1]!.socket.destroy();
    await sleep(150);
    expect(a.connections).toHaveLength(2);
    expect(watch.subscribed()).toEqual([]);
  });

  it("keeps retrying a sentinel that is down at the start", async () => {
    const port = await closedPort();
    watch = watchSentinel({ ...sentinelTarget(port), sentinelPassword: undefined }, () => {}, { minBackoffMs: 20, maxBackoffMs: 40 });
    await sleep(150);
    const late = net.createServer();
    servers.push(late);
    // The port was free a moment ago; take it now and expect the watcher to arrive.
    const accepted = new Promise<void>((resolve) => late.once("connection", (sock) => (sockets.push(sock), resolve())));
    await new Promise<void>((resolve, reject) => late.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
    await accepted;
  });

  it("finds a sentinel that stopped answering by its heartbeat and reconnects", async () => {
    // Subscribes fine, then never answers a PING: what a frozen (SIGSTOPped) sentinel looks like.
    const frozen = await startRespServer((args) => (args[0]?.toUpperCase() === "PING" ? SILENT : undefined));
    fakes.push(frozen);
    watch = watchSentinel({ ...sentinelTarget(frozen.port), sentinelPassword: undefined }, () => {}, {
      heartbeatMs: 50, commandTimeoutMs: 100, minBackoffMs: 10, maxBackoffMs: 20,
    });
    await until(() => frozen.connections.length >= 2);
    expect(frozen.connections[0]!.socket.destroyed || frozen.connections[0]!.socket.readableEnded).toBe(true);
  });
});
