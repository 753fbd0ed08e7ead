import type { HaproxyRow } from "@/server/collectors/haproxy";
import type { HttpData } from "@/server/collectors/http";
import type { MarketData } from "@/server/collectors/marketdata";
import type { PatroniData } from "@/server/collectors/patroni";
import type { PostgresData } from "@/server/collectors/postgres";
import type { RedisData } from "@/server/collectors/redis";
import type { SentinelData } from "@/server/collectors/sentinel";
import type { TcpData } from "@/server/collectors/tcp";
import type { VrrpData } from "@/server/collectors/vrrp";
import type { Status } from "@/lib/status";
import { patroniOutOfDcs } from "./dcs";
import { serverMatchesNode, type JudgeOptions } from "./topology";
import type { Observation } from "./types";

/**
 * One verdict per kind, each referenced by its collector's `judge`. Each reads only the fields of
 * its kind's data named in its `<Kind>HealthData`, so collectors can grow (offsets, ping times, ...)
 * without touching the rules or their tests. The dispatcher over kinds is ./verdict.ts.
 */

/** One probe's own verdict: a status and a short human reason (never empty). */
export interface Judgement {
  status: Status;
  reason: string;
}

const secs = (s: number) => `${Math.round(s * 10) / 10} s`;
const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const up = (reason: string): Judgement => ({ status: "UP", reason });
const degraded = (reasons: string[]): Judgement => ({ status: "DEGRADED", reason: reasons.join("; ") });

type Failed = { error: string } | null;
const failure = (o: Observation<unknown>): Failed => (o.result.ok ? null : { error: o.result.error });

export type PostgresHealthData = Pick<PostgresData, "inRecovery"> & {
  standby: Pick<NonNullable<PostgresData["standby"]>, "replayLagSeconds" | "replayPaused" | "walReceiver"> | null;
  replication: Pick<PostgresData["replication"][number], "applicationName" | "state">[];
};

/** PostgreSQL, one node: unreachable → DOWN; a standby lagging, paused or not streaming → DEGRADED. */
export function judgePostgres(o: Observation<PostgresHealthData>, opts: Pick<JudgeOptions, "maxLagSeconds">): Judgement {
  const f = failure(o);
  if (f) return { status: "DOWN", reason: `PostgreSQL does not answer: ${f.error}` };
  const d = o.result.data;
  if (!d) return { status: "DOWN", reason: "PostgreSQL answered without data" };
  if (!d.inRecovery) {
    const streaming = d.replication.filter((r) => r.state === "streaming").length;
    return up(`primary (not in recovery), ${plural(streaming, "standby", "standbys")} streaming`);
  }
  const s = d.standby;
  const problems: string[] = [];
  // replayLagSeconds is 0 when all that was received is replayed, so an idle primary is no false lag.
  if (s?.replayLagSeconds != null && s.replayLagSeconds > opts.maxLagSeconds) {
    problems.push(`standby replay lag ${secs(s.replayLagSeconds)} exceeds ${secs(opts.maxLagSeconds)}`);
  }
  if (s?.replayPaused) problems.push("WAL replay is paused on this standby");
  if (s && s.walReceiver?.status !== "streaming") {
    problems.push(`standby is not streaming from the primary (WAL receiver ${s.walReceiver?.status ?? "not running"})`);
  }
  if (problems.length) return degraded(problems);
  const lag = s?.replayLagSeconds;
  return up(`standby streaming${lag != null ? `, replay lag ${secs(lag)}` : ""}`);
}

export type PatroniHealthData = Pick<PatroniData, "leader" | "paused" | "unanswered" | "dcsLastSeen"> & {
  answeredBy?: string;
  members: Pick<PatroniData["members"][number], "name" | "role" | "state" | "host" | "port">[];
  /** What losing the DCS means (ttl, failsafe_mode), and how often Patroni reads it (loop_wait, retry_timeout). */
  dcsConfig?: Pick<NonNullable<PatroniData["dcsConfig"]>, "ttl" | "failsafeMode" | "loopWait" | "retryTimeout"> &
    Partial<Pick<NonNullable<PatroniData["dcsConfig"]>, "synchronousMode" | "synchronousModeStrict">>;
};

/**
 * With synchronous_mode on, Patroni names a synchronous standby in the DCS; a cluster that has standbys
 * but names none commits without a standby's confirmation (or blocks, when strict). Seen in the lab:
 * after a hung leader resumes, Patroni 3.0 can leave the sync key naming the demoted node, for good.
 */
function syncStandbyMissing(d: PatroniHealthData): string | null {
  const mode = d.dcsConfig?.synchronousMode;
  if (!mode || mode === "off") return null;
  const standbys = d.members.filter((m) => m.name !== d.leader);
  if (standbys.length === 0 || standbys.some((m) => m.role === "sync_standby" || m.role === "quorum_standby")) return null;
  const effect = d.dcsConfig?.synchronousModeStrict ? "writes block until one is named" : "commits are not confirmed by any standby";
  return `synchronous_mode is ${mode} but no member is a synchronous standby: ${effect}`;
}

/**
 * Patroni's REST view: no leader or no answer → DOWN; maintenance mode, a member not running, or a
 * member's REST API not answering → DEGRADED. Patroni's byte `lag` is not judged: it comes from the
 * DCS and shows false lag under load; the standby's own replay lag is judged instead.
 */
export function judgePatroni(o: Observation<PatroniHealthData>): Judgement {
  const d = o.result.data;
  const f = failure(o);
  if (f && !d) return { status: "DOWN", reason: `Patroni REST API unreachable: ${f.error}` };
  if (!d || !d.leader) return { status: "DOWN", reason: f ? f.error : "no leader: the cluster accepts no writes" };
  const out = patroniOutOfDcs(d, o.at);
  if (out?.status === "DOWN") return out;
  const problems: string[] = out ? [out.reason] : [];
  if (d.paused) problems.push("maintenance mode (paused): Patroni will not fail over automatically");
  for (const m of d.members) {
    if (m.state && m.state !== "running" && m.state !== "streaming") problems.push(`member ${m.name} is ${m.state}`);
  }
  const sync = syncStandbyMissing(d);
  if (sync) problems.push(sync);
  for (const u of d.unanswered) {
    if (u.node === d.leader) {
      const ttl = d.dcsConfig ? ` (ttl ${d.dcsConfig.ttl} s)` : "";
      problems.push(
        `Patroni on the leader ${u.node} does not answer (${u.error}): a load balancer checking its /primary stops sending writes there, and Patroni elects a new leader only once the leader key expires${ttl}`,
      );
    } else problems.push(`Patroni REST API on ${u.node} does not answer (${u.error})`);
  }
  if (problems.length) return degraded(problems);
  return up(`leader ${d.leader}, ${plural(d.members.length, "member")}`);
}

export type SentinelHealthData = Pick<SentinelData, "master" | "agree"> & {
  /** Every answering sentinel's CKQUORUM is OK (newer collectors; absent means not checked). */
  quorumOk?: boolean | null;
  sentinels: Pick<SentinelData["sentinels"][number], "address" | "ok" | "master" | "flags" | "quorum" | "error">[];
};

/**
 * Redis Sentinel group. No sentinel names a master → DOWN. Sentinels naming different masters → DEGRADED
 * here (the cross-layer check raises a CRITICAL finding once it persists), as are: a sentinel that does
 * not answer, too few answering for the quorum, and s_down / o_down / failover flags on the master.
 */
export function judgeSentinel(o: Observation<SentinelHealthData>): Judgement {
  const d = o.result.data;
  const f = failure(o);
  const named = d?.sentinels.filter((s) => s.master) ?? [];
  if (!d || named.length === 0) return { status: "DOWN", reason: f ? f.error : "no sentinel names a master" };
  const problems: string[] = [];
  if (!d.agree) {
    const views = named.map((s) => `${s.address} says ${s.master}`);
    problems.push(`sentinels disagree on the master: ${views.join(", ")}`);
  }
  const answering = d.sentinels.filter((s) => s.ok);
  const silent = d.sentinels.filter((s) => !s.ok);
  if (silent.length) problems.push(`${list(silent.map((s) => s.address))} ${silent.length === 1 ? "does" : "do"} not answer`);
  const quorum = answering.find((s) => s.quorum != null)?.quorum ?? null;
  if (quorum != null && answering.length < quorum) {
    problems.push(`only ${answering.length} of ${d.sentinels.length} sentinels answer, below quorum ${quorum}: no automatic failover`);
  } else if (d.quorumOk === false) {
    problems.push("SENTINEL CKQUORUM fails: the sentinels could not authorise a failover");
  }
  for (const s of answering) {
    const bad = s.flags.filter((x) => x === "s_down" || x === "o_down" || x.startsWith("failover"));
    if (bad.length) problems.push(`${s.address} flags the master ${bad.join(",")}`);
  }
  if (problems.length) return degraded(problems);
  return up(`master ${d.master ?? named[0]!.master}, ${answering.length} sentinels agree`);
}

export type RedisHealthData = Pick<RedisData, "role" | "masterLinkStatus" | "masterAddress" | "usedMemory" | "maxMemory" | "connectedReplicas">;

/** One Redis instance: unreachable → DOWN; memory above the ratio, or a replica whose link is down → DEGRADED. */
export function judgeRedis(o: Observation<RedisHealthData>, opts: Pick<JudgeOptions, "maxMemoryRatio">): Judgement {
  const f = failure(o);
  if (f) return { status: "DOWN", reason: `Redis does not answer: ${f.error}` };
  const d = o.result.data;
  if (!d) return { status: "DOWN", reason: "Redis answered without data" };
  const problems: string[] = [];
  // maxmemory 0 means no limit (the seed skips the check the same way).
  if (d.maxMemory && d.usedMemory != null) {
    const ratio = d.usedMemory / d.maxMemory;
    if (ratio > opts.maxMemoryRatio) {
      problems.push(`memory ${Math.round(ratio * 100)}% of maxmemory exceeds ${Math.round(opts.maxMemoryRatio * 100)}%`);
    }
  }
  const replica = d.role === "slave" || d.role === "replica";
  if (replica && d.masterLinkStatus !== "up") {
    problems.push(`replica's link to its master${d.masterAddress ? ` ${d.masterAddress}` : ""} is ${d.masterLinkStatus ?? "unknown"}`);
  }
  if (problems.length) return degraded(problems);
  return up(replica ? `replica of ${d.masterAddress ?? "?"}, link up` : `${d.role}, ${plural(d.connectedReplicas ?? 0, "replica")}`);
}

export type MarketHealthData = Pick<MarketData, "key" | "ageSeconds">;

/** Market data freshness (seed check_market_data): missing key → NO_DATA, older than the limit → STALE. */
export function judgeMarketData(o: Observation<MarketHealthData>, opts: Pick<JudgeOptions, "maxAgeSeconds">): Judgement {
  const f = failure(o);
  if (f) return { status: "DOWN", reason: `cannot read market data: ${f.error}` };
  const d = o.result.data;
  if (!d || d.ageSeconds === null) return { status: "NO_DATA", reason: `no market data: key ${d?.key ?? "last_market_update"} is missing` };
  if (d.ageSeconds > opts.maxAgeSeconds) {
    return { status: "STALE", reason: `market data is ${secs(d.ageSeconds)} old, limit ${secs(opts.maxAgeSeconds)}` };
  }
  if (d.ageSeconds < -opts.maxAgeSeconds) {
    return { status: "DEGRADED", reason: `market data timestamp is ${secs(-d.ageSeconds)} in the future: the feed's and the dashboard's clocks disagree` };
  }
  return up(`market data ${secs(Math.max(0, d.ageSeconds))} old`);
}

export interface HaproxyHealthData {
  proxies: { name: string; servers: Pick<HaproxyRow, "name" | "status" | "address" | "backup">[] }[];
}
type HaproxyServer = HaproxyHealthData["proxies"][number]["servers"][number];
/** Takes new connections: UP, "UP 1/3" (still up, failing checks), or no health check at all. */
const serving = (s: HaproxyServer) => s.status.startsWith("UP") || s.status === "no check";

/**
 * HAProxy: stats unreachable, or no backend with a server UP → DOWN. A backend with no server UP, a
 * server failing its checks ("UP 1/3"), or a DOWN server in a backend that is not role-routed → DEGRADED.
 * In role-routed (Patroni) backends DOWN servers are by design; only "no server UP" counts there.
 */
export function judgeHaproxy(o: Observation<HaproxyHealthData>, opts: Pick<JudgeOptions, "databaseNodes">): Judgement {
  const f = failure(o);
  const d = o.result.data;
  if (f || !d) return { status: "DOWN", reason: `HAProxy stats unreachable: ${f?.error ?? "no data"}` };
  const backends = d.proxies.filter((p) => p.servers.length > 0);
  const dead = backends.filter((p) => !p.servers.some(serving));
  if (backends.length > 0 && dead.length === backends.length) {
    return { status: "DOWN", reason: `no backend has a server UP (${list(dead.map((p) => p.name))})` };
  }
  const problems = dead.map((p) => `backend ${p.name} has no server UP`);
  for (const p of backends) {
    if (dead.includes(p)) continue;
    const roleRouted = p.servers.some((s) => opts.databaseNodes.some((n) => serverMatchesNode(s, n)));
    for (const s of p.servers) {
      if (/^UP \d+\/\d+$/.test(s.status)) problems.push(`${p.name}/${s.name} is failing its checks (${s.status})`);
      else if (!roleRouted && !s.backup && (s.status === "DOWN" || s.status.startsWith("DOWN ") || s.status === "MAINT")) {
        problems.push(`${p.name}/${s.name} is ${s.status}`);
      }
    }
  }
  if (problems.length) return degraded(problems);
  return up(`${plural(backends.length, "backend")} with servers UP`);
}

export type VrrpHealthData = Pick<VrrpData, "instance" | "vips" | "masters" | "vipAnswer"> & {
  nodes: Pick<VrrpData["nodes"][number], "name" | "state" | "error" | "lastState" | "silent">[];
};

/**
 * keepalived: no node MASTER → DOWN (the VIP is not held). Two MASTERs → DEGRADED here; the
 * split-brain finding makes it CRITICAL. A node in FAULT, STOP or UNKNOWN → DEGRADED (no standby).
 * Every node UNKNOWN → NO_DATA: the state files cannot be read, so we do not know. The VIP's
 * identity probe (if configured) not answering, or answered by another node than the MASTER → DEGRADED.
 */
export function judgeVrrp(o: Observation<VrrpHealthData>): Judgement {
  const d = o.result.data;
  const f = failure(o);
  if (!d) return { status: "DOWN", reason: f?.error ?? "no VRRP data" };
  if (d.nodes.length > 0 && d.nodes.every((n) => n.state === "UNKNOWN")) {
    return { status: "NO_DATA", reason: `state of ${d.instance} unknown on every node (${list(d.nodes.map((n) => `${n.name}: ${n.error ?? "unknown"}`))})` };
  }
  if (d.masters.length === 0) return { status: "DOWN", reason: `no node is MASTER for ${d.instance}: VIP ${list(d.vips)} is not held` };
  const problems: string[] = [];
  if (d.masters.length > 1) problems.push(`split brain: ${list(d.masters)} are all MASTER for ${d.instance}`);
  for (const n of d.nodes) {
    if (n.state === "FAULT" || n.state === "STOP") problems.push(`${n.name} is in ${n.state}: no standby for ${d.instance}`);
    else if (n.state === "UNKNOWN") problems.push(`state of ${n.name} unknown${n.error ? ` (${n.error})` : ""}`);
  }
  const v = d.vipAnswer;
  if (v && v.answer === null) problems.push(`VIP ${list(d.vips)} does not answer the identity probe (${v.error ?? "no answer"})`);
  else if (v && v.node === null) problems.push(`VIP ${list(d.vips)} answered by "${v.answer}", not a node of ${d.instance}`);
  else if (v && d.masters.length === 1 && v.node !== d.masters[0]) problems.push(`VIP ${list(d.vips)} answered by ${v.node}, not by the MASTER ${d.masters[0]}`);
  if (problems.length) return degraded(problems);
  return up(`${d.masters[0]} is MASTER for ${d.instance}${v ? `, the VIP answers as ${v.node}` : ""}`);
}

export type HttpHealthData = Pick<HttpData, "statusCode">;

/** HTTP health endpoint: any answer other than expectStatus, or no answer → DOWN. */
export function judgeHttp(o: Observation<HttpHealthData>, opts: Pick<JudgeOptions, "expectStatus">): Judgement {
  const d = o.result.data;
  const f = failure(o);
  if (f) return { status: "DOWN", reason: f.error };
  if (!d || d.statusCode !== opts.expectStatus) return { status: "DOWN", reason: `HTTP ${d?.statusCode ?? "?"}, expected ${opts.expectStatus}` };
  return up(`HTTP ${d.statusCode}`);
}

export type TcpHealthData = Partial<TcpData>;

/** TCP send/expect (PING/PONG): failed → DOWN. */
export function judgeTcp(o: Observation<TcpHealthData>): Judgement {
  const f = failure(o);
  if (f) return { status: "DOWN", reason: f.error };
  return up("answered as expected");
}
