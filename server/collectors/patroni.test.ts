import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { close, closedPort, listen } from "@/server/testing/listen";
import { HEDGE_MS, probePatroni } from "./patroni";
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
