/**
 * Lab helpers for the action workflow's tests and the switchover benchmark: the lab's dashboard
 * config (as `lab up` writes it), people, a healthy-cluster wait, and putting the lab back.
 */
import { labDashboardConfig } from "@/e2e/lab/dashboard-config";
import { haproxyRwTarget, patroniCluster, patroniNode, redisReplication, sentinelMasters, vrrpStates } from "@/e2e/lab/inspect";
import { drain, fault } from "@/e2e/lab/lab";
import { waitFor } from "@/e2e/lab/proc";
import { HAPROXY, HOST, PATRONI_REST_AUTH, PG_AUTH, PG_NODES, REDIS_NODES, VRRP_NODES, basicAuth, paths } from "@/e2e/lab/topology";
import { parseConfig, type Config } from "@/server/config/load";
import type { ApproverProof } from "@/server/auth/reauth";
import type { ActionActor } from "../types";
import { WriteLoop } from "./write-loop";

/** The lab's config with optional changes to the lab cluster's, group's and VRRP instances' action settings. */
export function labConfig(patch: (raw: ReturnType<typeof labDashboardConfig>) => void = () => {}): Config {
  const raw = labDashboardConfig();
  patch(raw);
  return parseConfig(JSON.stringify(raw), paths.config);
}

export const PEOPLE = {
  alice: { id: "u-alice", name: "Alice (operator)", role: "operator", ip: "127.0.0.11" },
  dave: { id: "u-dave", name: "Dave (operator)", role: "operator", ip: "127.0.0.14" },
  bob: { id: "u-bob", name: "Bob (approver)", role: "approver", ip: "127.0.0.12" },
  carol: { id: "u-carol", name: "Carol (viewer)", role: "viewer", ip: "127.0.0.13" },
} satisfies Record<string, ActionActor>;

/**
 * The workflow tests' stand-in for the approver's password check (server/auth/reauth.ts has the real
 * one, tested with better-auth's hashes): every person's password is this.
 */
export const TEST_PASSWORD = "lab-approver-password";
export async function testApproverProof(_userId: string, password: string | undefined): Promise<ApproverProof> {
  return password === TEST_PASSWORD ? { ok: true, by: "password" } : { ok: false, code: "BAD_REQUEST", why: "the password is not correct" };
}

export const restOf = (name: string) => PG_NODES.find((n) => n.name === name)!.rest;
export const pgPortOf = (name: string) => PG_NODES.find((n) => n.name === name)!.pg;

export interface HealthyCluster {
  leader: string;
  sync: string;
  replica: string;
  timeline: number;
}

/** A leader, a sync standby and two streaming replicas, and HAProxy's rw frontend on the leader. */
export async function waitHealthyCluster(timeoutMs = 90_000): Promise<HealthyCluster> {
  return waitFor(
    "Patroni leader, sync standby, two streaming replicas, HAProxy rw on the leader",
    async () => {
      const c = await patroniCluster();
      const leader = c?.members.find((m) => m.role === "leader");
      const sync = c?.members.find((m) => m.role === "sync_standby");
      const replica = c?.members.find((m) => m.role === "replica");
      if (!leader || !sync || !replica || c?.pause) return false;
      const repl = (await patroniNode(restOf(leader.name)))?.replication ?? [];
      if (repl.filter((r) => r.state === "streaming").length !== 2) return false;
      const rw = await haproxyRwTarget();
      if (!rw || rw.inRecovery || rw.port !== pgPortOf(leader.name)) return false;
      return { leader: leader.name, sync: sync.name, replica: replica.name, timeline: leader.timeline ?? 0 };
    },
    timeoutMs,
    250,
  );
}

/** Redis: the sentinels agree on a master whose replica is linked, and no other node acts as master. */
export async function waitHealthyRedis(timeoutMs = 60_000): Promise<{ master: string; replica: string }> {
  return waitFor(
    "sentinels agree, replica linked, one master",
    async () => {
      const masters = [...new Set(Object.values(await sentinelMasters()))];
      if (masters.length !== 1 || !masters[0]) return false;
      const master = masters[0];
      const other = REDIS_NODES.find((n) => `${HOST}:${n.port}` !== master);
      const info = other ? await redisReplication(other.port) : undefined;
      if (!other || info?.role !== "slave" || info.master_link_status !== "up" || `${info.master_host}:${info.master_port}` !== master) return false;
      return { master, replica: `${HOST}:${other.port}` };
    },
    timeoutMs,
    250,
  );
}

/** The VRRP MASTER of every instance (one each), none drained. */
export async function waitHealthyVrrp(timeoutMs = 30_000): Promise<string> {
  return waitFor(
    "one VRRP MASTER per instance, keepalived alive everywhere",
    () => {
      const s = vrrpStates();
      const masters = [...new Set(s.filter((x) => x.state === "MASTER").map((x) => x.node))];
      return s.every((x) => x.keepalivedAlive) && masters.length === 1 && s.filter((x) => x.state === "MASTER").length === 2 ? masters[0] : false;
    },
    timeoutMs,
    250,
  );
}

/** Undo what a test may have left: frozen nodes resumed, nodes undrained; then wait for a healthy lab. */
export async function restoreLab(): Promise<void> {
  for (const n of PG_NODES) await fault("resume", n.name).catch(() => {});
  for (const n of VRRP_NODES) drain(n.name, false);
  await waitHealthyCluster(120_000);
  await waitHealthyRedis();
  await waitHealthyVrrp();
}

/** A switchover straight through Patroni's REST API (not through the dashboard): "someone else moved the leader". */
export async function directSwitchover(leader: string, candidate: string): Promise<number> {
  const res = await fetch(`http://${HOST}:${restOf(leader)}/switchover`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basicAuth(PATRONI_REST_AUTH) },
    body: JSON.stringify({ leader, candidate }),
    signal: AbortSignal.timeout(40_000),
  });
  return res.status;
}

export function labWriteLoop(table = "hacr_failover_writes"): WriteLoop {
  return new WriteLoop({ host: HOST, port: HAPROXY.rw, user: PG_AUTH.superuser.username, password: PG_AUTH.superuser.password, table });
}
