/**
 * Guarded actions against the lab's components configured with authentication: Patroni's
 * restapi.authentication and the Sentinels' ACL. Wrong credentials are refused with a plain reason
 * and change nothing (the oracles are patronictl and redis-cli, never the collectors). The actions
 * that succeed with the right credentials are failover.lab.test.ts's real switchover and Sentinel failover.
 * Run under the lab lock: `flock /tmp/hacr-lab.lock npx vitest run --project lab <this file>`.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionView } from "@/lib/actions";
import { HOST, PATRONI_REST_AUTH, PG_NODES, REDIS_MASTER_NAME, SENTINEL_AUTH, SENTINELS, basicAuth, paths } from "@/e2e/lab/topology";
import { probePatroni } from "@/server/collectors/patroni";
import { closePostgresPools } from "@/server/collectors/postgres-connection";
import { closeRedisClients } from "@/server/collectors/redis-connection";
import { openStore, type Store } from "@/server/store/store";
import { request, type ActionDeps } from "./index";
import { patroniDriver } from "./patroni";
import { sentinelDriver } from "./sentinel";
import { PEOPLE, labConfig, waitHealthyCluster, waitHealthyRedis } from "./testing/lab";

const WRONG = "not-the-lab-password-314";
const WRONG_ENV = "HACR_LAB_TEST_WRONG_PASSWORD";
const stores: Store[] = [];
/** Each request gets its own store, so one test's pending request never holds the target for the next. */
async function depsWith(config: ActionDeps["config"]): Promise<ActionDeps> {
  const store = await openStore({ memory: true });
  stores.push(store);
  return { store, config, now: Date.now, instanceId: "lab-creds", keepWatchingMs: 0 };
}

/** patronictl with pg1's own Patroni config (it takes restapi.authentication from there): the leader's name. */
function patronictlLeader(): string {
  const r = spawnSync("patronictl", ["-c", path.join(paths.pg, "pg1.yml"), "list", "-f", "json"], { encoding: "utf8", timeout: 15_000 });
  const rows = JSON.parse(r.stdout) as { Member: string; Role: string }[];
  return rows.find((m) => m.Role === "Leader")?.Member ?? "";
}

/** redis-cli as the lab's Sentinel administrator: the master every sentinel names. */
function sentinelMastersCli(): string[] {
  return SENTINELS.map((s) =>
    spawnSync("redis-cli", ["-h", HOST, "-p", String(s.port), "--pass", SENTINEL_AUTH.admin.password, "--no-auth-warning", "SENTINEL", "GET-MASTER-ADDR-BY-NAME", REDIS_MASTER_NAME], { encoding: "utf8" })
      .stdout.trim().split("\n").join(":"),
  );
}

beforeAll(async () => {
  process.env[WRONG_ENV] = WRONG;
  await waitHealthyCluster();
  await waitHealthyRedis();
}, 180_000);

afterAll(async () => {
  delete process.env[WRONG_ENV];
  closeRedisClients();
  await closePostgresPools();
  await Promise.all(stores.map((s) => s.close()));
});

describe("Patroni with restapi.authentication", () => {
  const rest = (name: string) => `http://${HOST}:${PG_NODES.find((n) => n.name === name)!.rest}`;

  it("the lab's Patroni demands credentials on its unsafe endpoints and leaves reads open", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${rest("pg1")}/switchover`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}", signal: AbortSignal.timeout(5_000) });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: basicAuth({ username: PATRONI_REST_AUTH.username, password: WRONG }) })).status).toBe(401);
    // An empty body passes the access check and is refused as a bad request: what the dashboard's credentials check relies on.
    expect((await post({ authorization: basicAuth(PATRONI_REST_AUTH) })).status).toBe(400);
    expect((await fetch(`${rest("pg1")}/cluster`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
  });

  it("right credentials: the preflight passes the credentials check; reads agree with patronictl", async () => {
    const { leader, sync } = await waitHealthyCluster();
    const deps = await depsWith(labConfig());
    const r = await request(deps, PEOPLE.alice, { kind: "patroni_switchover", targetId: "labcluster", node: sync, expectedLeader: leader, reason: "credentials check", clientRequestId: randomUUID() });
    expect(r.action.preflight?.checks.find((c) => c.id === "rest-credentials")).toMatchObject({ result: "ok" });
    const read = await probePatroni(deps.config.clusters[0]!, AbortSignal.timeout(2_000));
    expect(read.ok && read.data.leader).toBe(patronictlLeader());
  });

  it("wrong credentials: the request is refused before approval with Patroni's 401 in plain words; the POST itself is refused and nothing moves", async () => {
    const { leader, sync } = await waitHealthyCluster();
    const config = labConfig((raw) => Object.assign(raw.clusters[0]!, { restPassword: { env: WRONG_ENV } }));
    const deps = await depsWith(config);
    const r = await request(deps, PEOPLE.alice, { kind: "patroni_switchover", targetId: "labcluster", node: sync, expectedLeader: leader, reason: "wrong credentials", clientRequestId: randomUUID() });
    expect(r.action.state).toBe("refused");
    expect(r.action.preflight?.checks.find((c) => c.id === "rest-credentials")).toMatchObject({
      result: "refused",
      detail: "Patroni REST API refused the credentials (HTTP 401); check restUsername and restPassword",
    });
    expect(JSON.stringify(r)).not.toContain(WRONG);

    // Had it got past the preflight: the POST is refused at Patroni's door.
    const resolved = patroniDriver.resolve(config, { kind: "patroni_switchover", targetId: "labcluster", node: sync, expectedLeader: leader });
    const act = await patroniDriver.act(resolved, { kind: "patroni_switchover", node: sync, expectedLeader: leader, scheduledAt: null } as ActionView, deps);
    expect(act).toEqual({ status: "refused", message: "Patroni REST API refused the credentials (HTTP 401); check restUsername and restPassword; nothing was done" });
    await new Promise((res) => setTimeout(res, 3_000));
    expect(patronictlLeader()).toBe(leader);
  });
});

describe("Sentinel with ACL users", () => {
  it("wrong credentials: SENTINEL FAILOVER is refused in plain words and the master stays (redis-cli)", async () => {
    const { master } = await waitHealthyRedis();
    const config = labConfig((raw) => Object.assign(raw.sentinels[0]!, { sentinelPassword: { env: WRONG_ENV } }));
    const resolved = sentinelDriver.resolve(config, { kind: "sentinel_failover", targetId: REDIS_MASTER_NAME });
    const act = await sentinelDriver.act(resolved, {} as ActionView, await depsWith(config));
    expect(act).toEqual({
      status: "refused",
      message: `sentinel ${HOST}:${SENTINELS[0].port} refused: Sentinel refused the credentials (WRONGPASS); check the username and password`,
    });
    await new Promise((res) => setTimeout(res, 2_000));
    expect(new Set(sentinelMastersCli())).toEqual(new Set([master]));
  });

  it("a user without SENTINEL FAILOVER in its ACL is refused with NOPERM, and nothing fails over", async () => {
    const { master } = await waitHealthyRedis();
    // The lab's Redis monitor user exists on the data nodes only; on the sentinels, the dashboard user may fail over.
    // Here the sentinels' administrator is replaced by a user the sentinels do not grant FAILOVER: created for this test.
    const user = "hacr-readonly-test";
    const cli = (port: number, ...args: string[]) =>
      spawnSync("redis-cli", ["-h", HOST, "-p", String(port), "--pass", SENTINEL_AUTH.admin.password, "--no-auth-warning", ...args], { encoding: "utf8" }).stdout.trim();
    for (const s of SENTINELS) expect(cli(s.port, "ACL", "SETUSER", user, "on", `>${WRONG}`, "-@all", "+sentinel|get-master-addr-by-name")).toBe("OK");
    try {
      const config = labConfig((raw) => Object.assign(raw.sentinels[0]!, { sentinelUsername: user, sentinelPassword: { env: WRONG_ENV } }));
      const act = await sentinelDriver.act(sentinelDriver.resolve(config, { kind: "sentinel_failover", targetId: REDIS_MASTER_NAME }), {} as ActionView, await depsWith(config));
      expect(act.status).toBe("refused");
      expect(act.message).toMatch(/refused: the Sentinel user lacks a permission \(NOPERM .*sentinel\|failover/);
    } finally {
      for (const s of SENTINELS) cli(s.port, "ACL", "DELUSER", user);
    }
    expect(new Set(sentinelMastersCli())).toEqual(new Set([master]));
  });
});
