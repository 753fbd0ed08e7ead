import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthyPatroni } from "@/e2e/lab/inspect";
import { fault } from "@/e2e/lab/lab";
import { waitFor } from "@/e2e/lab/proc";
import { PG_NODES, paths } from "@/e2e/lab/topology";
import { loadConfig } from "@/server/config/load";
import { closedPort } from "@/server/testing/listen";
import { EXTRAS_MS, HEDGE_MS, probePatroni } from "./patroni";
import { probePostgres } from "./postgres";
import { closePostgresPools } from "./postgres-connection";
import type { PatroniTarget } from "./types";

/**
 * The patroni collector against the real lab: hedging past a frozen node, every REST API dead, and a
 * leader kill. The lab is shared: run under the lab lock, e.g.
 *   flock /tmp/hacr-lab.lock npx vitest run --project lab server/collectors/patroni.lab.test.ts
 * Every fault is undone in `finally`, and each test ends with the cluster healthy again.
 */

const DEADLINE_MS = 800;
const restOf = (name: string) => PG_NODES.find((n) => n.name === name)!.rest;

async function waitHealthy(timeoutMs = 90_000) {
  return waitFor(
    "Patroni leader with two streaming replicas and a sync standby",
    async () => {
      const h = await healthyPatroni();
      return h && { leader: h.leader.name, members: h.members };
    },
    timeoutMs,
    250,
  );
}

describe("patroni collector against the lab", () => {
  const config = existsSync(paths.config) ? loadConfig(paths.config) : undefined;
  const cluster = config?.clusters[0] as PatroniTarget;
  const probe = (t: PatroniTarget = cluster) => probePatroni(t, AbortSignal.timeout(DEADLINE_MS));

  beforeAll(async () => {
    await waitHealthy();
  });
  afterAll(async () => {
    await closePostgresPools();
  });

  it("reports the leader, the DCS config and the history, as Patroni's REST API does directly", async () => {
    const { leader } = await waitHealthy();
    const r = await probe();
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.data!.leader).toBe(leader);
    expect(r.data!.dcsConfig).toEqual({ maximumLagOnFailover: 1048576, synchronousMode: "on", synchronousModeStrict: false, ttl: 10, loopWait: 2, retryTimeout: 4, failsafeMode: false });
    const direct = (await (await fetch(`http://127.0.0.1:${restOf(r.data!.answeredBy)}/history`)).json()) as unknown[][];
    expect(r.data!.history).toHaveLength(Math.min(direct.length, 100));
  });

  it("REST of a frozen node: hedging answers from another node quickly", async () => {
    const { members } = await waitHealthy();
    const frozen = members.find((m) => m.role === "replica")!.name; // async replica: nothing waits on it
    // The frozen node first in line, so the probe has to hedge past it.
    const target: PatroniTarget = { ...cluster, nodes: [...cluster.nodes].sort((a, b) => Number(b.name === frozen) - Number(a.name === frozen)) };
    expect(target.nodes[0]!.name).toBe(frozen);
    try {
      await fault("stop", frozen);
      const t0 = performance.now();
      const r = await probe(target);
      const wallMs = performance.now() - t0;
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.data!.answeredBy).not.toBe(frozen);
      expect(r.data!.leader).not.toBeNull();
      // The node hedged past gets its /liveness within the extras budget: it is named, and it costs at most that.
      expect(r.data!.unanswered.map((u) => u.node)).toContain(frozen);
      expect(wallMs).toBeLessThan(HEDGE_MS + EXTRAS_MS + 150);
      console.log(`patroni probe with ${frozen} frozen: ${wallMs.toFixed(0)} ms, answered by ${r.data!.answeredBy}`);
    } finally {
      await fault("resume", frozen);
    }
    await waitHealthy();
  });

  it("every REST API dead (closed ports): ok false, with each node's reason, quickly", async () => {
    const ports = await Promise.all(cluster.nodes.map(() => closedPort()));
    const target: PatroniTarget = { ...cluster, nodes: cluster.nodes.map((n, i) => ({ ...n, rest: `http://127.0.0.1:${ports[i]}` })) };
    const t0 = performance.now();
    const r = await probe(target);
    expect(performance.now() - t0).toBeLessThan(DEADLINE_MS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^no Patroni node answered: pg1: connection refused .*; pg2: connection refused .*; pg3: connection refused/);
  });

  it("leader killed: the new leader within ~15 s, history gains the switch, its PostgreSQL is primary on the new timeline", async () => {
    const { leader: old } = await waitHealthy();
    const before = await probe();
    expect(before.ok).toBe(true);
    const lastBefore = before.data!.history?.at(-1)?.timeline ?? 0;
    let next: string | undefined;
    try {
      await fault("kill", old);
      const t0 = Date.now();
      const r = await waitFor(
        "the collector to report a new leader",
        async () => {
          const x = await probe();
          return x.ok && x.data!.leader && x.data!.leader !== old ? x : false;
        },
        30_000,
        250,
      );
      const electedS = (Date.now() - t0) / 1000;
      next = r.data!.leader!;
      console.log(`patroni collector: new leader ${next} ${electedS.toFixed(1)} s after killing ${old}`);
      expect(electedS).toBeLessThan(15);

      const withHistory = await waitFor(
        "history to record the switch",
        async () => {
          const x = await probe();
          const last = x.data?.history?.at(-1);
          return last && last.timeline > lastBefore ? x : false;
        },
        15_000,
        250,
      );
      const last = withHistory.data!.history!.at(-1)!;
      expect(last.leader).toBe(next);
      expect(last.at).not.toBeNull();

      const pg = cluster.nodes.find((n) => n.name === next)!;
      const own = await waitFor(
        `${next}'s PostgreSQL to be primary`,
        async () => {
          const x = await probePostgres({ cluster, node: pg }, AbortSignal.timeout(DEADLINE_MS));
          return x.ok && !x.data.inRecovery ? x : false;
        },
        10_000,
        250,
      );
      expect(own.data!.timeline).toBe(last.timeline + 1);
    } finally {
      await fault("start", old);
    }
    const { leader } = await waitHealthy();
    expect(leader).not.toBe(old);
  });
});
