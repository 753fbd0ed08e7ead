import { z } from "zod";
import { TargetActions } from "@/server/config/actions";
import { HttpUrl, InlineUrlWithoutPassword, SecretRef, TargetBase } from "@/server/config/fields";
import { EtcdDcs } from "./etcd-config";
import { readBounded, requestFor } from "./http";
import type { EntryOf, KindDef, ProbeResult, Section } from "./types";
import { describeError, since, urlEndpoint } from "./util";
import { judgePatroni, type PatroniHealthData } from "@/server/health/judge";

export const PatroniNode = z.strictObject({
  name: z.string().min(1, { error: "expected the Patroni member name" }),
  rest: HttpUrl,
  dsn: InlineUrlWithoutPassword("postgres://monitor@10.0.1.40:5432/postgres"),
  password: SecretRef.optional(),
});

export const PatroniCluster = z
  .strictObject({
    ...TargetBase,
    scope: z.string().min(1).optional(),
    nodes: z.array(PatroniNode).min(1, { error: "a cluster needs at least one node" }),
    /**
     * Patroni's `restapi.authentication`: sent as basic auth on every request. Patroni demands it on
     * its unsafe endpoints (switchover, failover); reads are sent with it too, so an API behind an
     * authenticating proxy still answers.
     */
    restUsername: z.string().min(1, { error: "expected the username of Patroni's restapi.authentication" }).optional(),
    restPassword: SecretRef.optional(),
    /** Standby replay lag (seconds) above which the standby is DEGRADED; the seed uses 5. */
    maxLagSeconds: z.number().positive().optional(),
    /** Guarded switchover/failover settings (server/config/actions.ts). */
    actions: TargetActions.optional(),
    /** The etcd cluster Patroni keeps its leader key in; watched by the etcd collector. */
    dcs: EtcdDcs.optional(),
  })
  .refine((c) => (c.restUsername === undefined) === (c.restPassword === undefined), {
    error: "give both restUsername and restPassword (Patroni's restapi.authentication), or neither",
    path: ["restPassword"],
  });

/** `clusters:` Patroni clusters. The postgres collector probes the nodes of the same entries. */
export const CLUSTERS: Section<"clusters", typeof PatroniCluster> = { name: "clusters", schema: PatroniCluster };
export type PatroniTarget = EntryOf<typeof CLUSTERS>;
export type PatroniNodeConfig = PatroniTarget["nodes"][number];
/** The part of the config the cluster-derived units read. */
export interface ClustersConfig {
  clusters: readonly PatroniTarget[];
}

export interface PatroniMember {
  name: string;
  /** leader, standby_leader, sync_standby or replica (Patroni's words). */
  role: string;
  /** running, streaming, stopped, starting, ... (Patroni's words; "" when unknown). */
  state: string;
  host: string | null;
  port: number | null;
  timeline: number | null;
  /** Bytes behind the leader; "unknown" when Patroni cannot tell; null for the leader itself. */
  lag: number | "unknown" | null;
  pendingRestart: boolean;
}

/** One timeline switch from GET /history: `timeline` ended at `lsn` (bytes) and `leader` went on with timeline + 1. */
export interface PatroniHistoryEntry {
  timeline: number;
  lsn: number | null;
  reason: string;
  /** ISO time of the switch; null on Patroni versions that did not record it. */
  at: string | null;
  /** The member promoted; null on Patroni versions that did not record it. */
  leader: string | null;
}

/** The failover-relevant part of GET /config (the DCS's dynamic configuration), Patroni's defaults filled in. */
export interface PatroniDcsConfig {
  /** Bytes a replica may lag and still be promoted. */
  maximumLagOnFailover: number;
  synchronousMode: "off" | "on" | "quorum";
  synchronousModeStrict: boolean;
  /** Seconds the leader key lives without renewal: roughly the time to detect a dead leader. */
  ttl: number;
  loopWait: number;
  retryTimeout: number;
  /** With failsafe_mode the leader stays primary through a DCS outage while every member's REST API answers it. */
  failsafeMode: boolean;
}

export interface PatroniData {
  /** The member whose REST API answered. Every member reports the whole cluster as stored in the DCS. */
  answeredBy: string;
  leader: string | null;
  members: PatroniMember[];
  paused: boolean;
  /** Members tried before an answer came, with the reason they did not answer. */
  unanswered: { node: string; error: string }[];
  /** Timeline switches, oldest first (at most HISTORY_LIMIT); absent when /history did not answer in time. */
  history?: PatroniHistoryEntry[];
  /** Absent when /config did not answer in time. */
  dcsConfig?: PatroniDcsConfig;
  /**
   * Epoch seconds the answering node last read the DCS (GET /patroni `dcs_last_seen`, Patroni 2.1+);
   * absent when not reported. Evidence that Patroni itself cannot reach the DCS.
   */
  dcsLastSeen?: number;
}

/** GET /cluster as served by Patroni 3.x/4.x; unknown fields are kept out, missing ones tolerated. */
const ClusterResponse = z.object({
  members: z.array(
    z.object({
      name: z.string(),
      role: z.string(),
      state: z.string().optional(),
      host: z.string().optional(),
      port: z.number().optional(),
      timeline: z.number().optional(),
      lag: z.union([z.number(), z.string()]).optional(),
      pending_restart: z.boolean().optional(),
    }),
  ),
  pause: z.boolean().optional(),
});

/**
 * GET /history: [timeline, lsn, reason, timestamp, new leader]; Patroni before 2.0 sent only the first
 * three or four. Items are loose so one odd entry does not hide the others.
 */
const HistoryResponse = z.array(z.array(z.unknown()));

/** GET /config; only the keys used here are read, the rest (postgresql parameters, slots, ...) ignored. */
const ConfigResponse = z.object({
  maximum_lag_on_failover: z.number().optional(),
  synchronous_mode: z.union([z.boolean(), z.string()]).optional(),
  synchronous_mode_strict: z.boolean().optional(),
  ttl: z.number().optional(),
  loop_wait: z.number().optional(),
  retry_timeout: z.number().optional(),
  failsafe_mode: z.boolean().optional(),
});

/** GET /patroni: only `dcs_last_seen` is read here (0 before the node's first DCS read). */
const NodeResponse = z.object({ dcs_last_seen: z.number().optional() });

/** How long to wait for one node before also asking the next: a hung node must not use up the whole deadline. */
export const HEDGE_MS = 150;
/** Budget for /history and /config once /cluster has answered (both at once, same node, within the deadline). */
export const EXTRAS_MS = 300;
/** Newest timeline switches kept; Patroni keeps the full history unless max_timelines_history is set. */
export const HISTORY_LIMIT = 100;

type Fetched<T> = { ok: true; body: T } | { ok: false; error: string };

/** The credentials a cluster's REST API is called with; Secret is revealed only into the request header. */
export interface RestCredentials {
  restUsername?: string;
  restPassword?: { reveal(): string };
}

/** A request to one of the cluster's REST endpoints, with the cluster's basic auth when it has one. */
export function patroniRequest(cluster: RestCredentials, rest: string, path: string): { url: string; headers: Headers } {
  const url = new URL(path, rest.endsWith("/") ? rest : `${rest}/`).toString();
  return cluster.restUsername !== undefined ? requestFor(url, cluster.restUsername, cluster.restPassword?.reveal() ?? "") : requestFor(url);
}

/**
 * Why Patroni refused a request before looking at it, or null. 401 is its basic-auth check
 * (`restapi.authentication`), 403 its allowlist or client-certificate check.
 */
export function patroniAccessError(status: number, cluster: RestCredentials): string | null {
  if (status === 401) {
    return cluster.restUsername !== undefined
      ? "Patroni REST API refused the credentials (HTTP 401); check restUsername and restPassword"
      : "Patroni REST API requires credentials (HTTP 401); set restUsername and restPassword";
  }
  if (status === 403) return "Patroni REST API denied access (HTTP 403: its allowlist or a client certificate)";
  return null;
}

async function fetchJson<T>(cluster: RestCredentials, rest: string, path: string, schema: z.ZodType<T>, signal: AbortSignal): Promise<Fetched<T>> {
  const start = performance.now();
  try {
    const req = patroniRequest(cluster, rest, path);
    const res = await fetch(req.url, { signal, headers: req.headers, cache: "no-store" });
    const text = await readBounded(res, 1024 * 1024);
    if (!res.ok) return { ok: false, error: patroniAccessError(res.status, cluster) ?? `HTTP ${res.status}` };
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) return { ok: false, error: `unexpected /${path} response` };
    return { ok: true, body: parsed.data };
  } catch (e) {
    if (e instanceof SyntaxError) return { ok: false, error: `unexpected /${path} response (not JSON)` };
    return { ok: false, error: describeError(e, signal, start) };
  }
}

/** GET one REST endpoint of a cluster node with the cluster's credentials (the action driver's reads). */
export const fetchPatroniJson = fetchJson;

/**
 * Whether `rest` accepts the cluster's credentials for its unsafe endpoints, without changing
 * anything: POST /switchover with an empty JSON object passes Patroni's access check (401/403 when
 * refused) and is then rejected as a bad request (400) before Patroni reads any parameter.
 */
export async function checkPatroniCredentials(cluster: RestCredentials, rest: string, signal: AbortSignal): Promise<Fetched<null>> {
  const start = performance.now();
  try {
    const req = patroniRequest(cluster, rest, "switchover");
    req.headers.set("content-type", "application/json");
    const res = await fetch(req.url, { method: "POST", signal, headers: req.headers, body: "{}", cache: "no-store" });
    await readBounded(res, 4096);
    const refused = patroniAccessError(res.status, cluster);
    if (refused) return { ok: false, error: refused };
    if (res.status !== 400) return { ok: false, error: `unexpected answer to an empty POST /switchover: HTTP ${res.status}` };
    return { ok: true, body: null };
  } catch (e) {
    return { ok: false, error: describeError(e, signal, start) };
  }
}

type Attempt = Fetched<z.infer<typeof ClusterResponse>>;
const fetchCluster = (cluster: RestCredentials, rest: string, signal: AbortSignal): Promise<Attempt> => fetchJson(cluster, rest, "cluster", ClusterResponse, signal);

export function toHistory(body: unknown[][]): PatroniHistoryEntry[] {
  const out: PatroniHistoryEntry[] = [];
  for (const [timeline, lsn, reason, at, leader] of body) {
    if (typeof timeline !== "number") continue;
    out.push({
      timeline,
      lsn: typeof lsn === "number" ? lsn : null,
      reason: typeof reason === "string" ? reason : "",
      at: typeof at === "string" ? at : null,
      leader: typeof leader === "string" ? leader : null,
    });
  }
  return out.slice(-HISTORY_LIMIT);
}

/** Patroni's documented defaults stand in for keys the DCS config does not set. */
export function toDcsConfig(body: z.infer<typeof ConfigResponse>): PatroniDcsConfig {
  const sm = body.synchronous_mode;
  const synchronousMode = sm === true || sm === "on" || sm === "true" ? "on" : sm === "quorum" ? "quorum" : "off";
  return {
    maximumLagOnFailover: body.maximum_lag_on_failover ?? 1_048_576,
    synchronousMode,
    synchronousModeStrict: body.synchronous_mode_strict ?? false,
    ttl: body.ttl ?? 30,
    loopWait: body.loop_wait ?? 10,
    retryTimeout: body.retry_timeout ?? 10,
    failsafeMode: body.failsafe_mode ?? false,
  };
}

/**
 * GET /liveness (200 while the node's Patroni loop runs). The cluster view comes from one node and is
 * the DCS's, which keeps listing a dead Patroni as running, even as leader, until its key expires.
 */
async function fetchAlive(cluster: RestCredentials, rest: string, signal: AbortSignal): Promise<Fetched<null>> {
  const start = performance.now();
  try {
    const req = patroniRequest(cluster, rest, "liveness");
    const res = await fetch(req.url, { signal, headers: req.headers, cache: "no-store" });
    await readBounded(res, 4096);
    return res.ok ? { ok: true, body: null } : { ok: false, error: patroniAccessError(res.status, cluster) ?? `/liveness HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, error: describeError(e, signal, start) };
  }
}

/**
 * /history, /config and /patroni from the node that answered /cluster, and /liveness of every node
 * not yet heard from, in parallel, each bounded by EXTRAS_MS.
 */
async function withExtras(target: PatroniTarget, rest: string, data: PatroniData, signal: AbortSignal): Promise<PatroniData> {
  const bound = AbortSignal.any([signal, AbortSignal.timeout(EXTRAS_MS)]);
  const others = target.nodes.filter((n) => n.name !== data.answeredBy && !data.unanswered.some((u) => u.node === n.name));
  const [history, config, node, alive] = await Promise.all([
    fetchJson(target, rest, "history", HistoryResponse, bound),
    fetchJson(target, rest, "config", ConfigResponse, bound),
    fetchJson(target, rest, "patroni", NodeResponse, bound),
    Promise.all(others.map(async (n) => ({ n, r: await fetchAlive(target, n.rest, bound) }))),
  ]);
  const lastSeen = node.ok ? node.body.dcs_last_seen : undefined;
  const silent = alive.flatMap(({ n, r }) => (r.ok ? [] : [{ node: n.name, error: `${r.error} (${urlEndpoint(n.rest)})` }]));
  return {
    ...data,
    ...(silent.length ? { unanswered: [...data.unanswered, ...silent] } : {}),
    ...(history.ok ? { history: toHistory(history.body) } : {}),
    ...(config.ok ? { dcsConfig: toDcsConfig(config.body) } : {}),
    ...(lastSeen ? { dcsLastSeen: lastSeen } : {}),
  };
}

function toData(answeredBy: string, body: z.infer<typeof ClusterResponse>, unanswered: PatroniData["unanswered"]): PatroniData {
  const members = body.members.map<PatroniMember>((m) => ({
    name: m.name,
    role: m.role,
    state: m.state ?? "",
    host: m.host ?? null,
    port: m.port ?? null,
    timeline: m.timeline ?? null,
    lag: typeof m.lag === "number" ? m.lag : m.lag === undefined ? null : "unknown",
    pendingRestart: m.pending_restart ?? false,
  }));
  const leader = members.find((m) => m.role === "leader" || m.role === "standby_leader")?.name ?? null;
  return { answeredBy, leader, members, paused: body.pause ?? false, unanswered };
}

/**
 * GET /cluster, then /history and /config from the same node. `lag` in the members stays Patroni's own
 * figure (it can show megabytes of false lag on an idle cluster); real lag comes from the postgres collector.
 */
export async function probePatroni(target: PatroniTarget, signal: AbortSignal): Promise<ProbeResult<PatroniData>> {
  const start = performance.now();
  const r = await hedgedCluster(target, signal);
  if (!r.answeredRest || !r.result.data) return r.result;
  const data = await withExtras(target, r.answeredRest, r.result.data, signal);
  return { ...r.result, latencyMs: since(start), data };
}

/**
 * Ask the cluster's nodes in config order; the first that answers wins. If a node has not answered
 * within HEDGE_MS (or fails), the next one is asked too, so a stopped node costs HEDGE_MS, not the deadline.
 */
function hedgedCluster(target: PatroniTarget, signal: AbortSignal): Promise<{ result: ProbeResult<PatroniData>; answeredRest?: string }> {
  const start = performance.now();
  const nodes = target.nodes;
  const local = new AbortController();
  const attemptSignal = AbortSignal.any([signal, local.signal]);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const unanswered: PatroniData["unanswered"] = [];

  return new Promise((resolve) => {
    let next = 0;
    let pending = 0;
    let done = false;
    const finish = (result: ProbeResult<PatroniData>, answeredRest?: string) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      local.abort();
      resolve({ result, answeredRest });
    };
    const launch = () => {
      const node = nodes[next];
      if (done || !node) return;
      next++;
      pending++;
      const hedge = setTimeout(launch, HEDGE_MS);
      timers.add(hedge);
      void fetchCluster(target, node.rest, attemptSignal).then((attempt) => {
        clearTimeout(hedge);
        timers.delete(hedge);
        pending--;
        if (done) return;
        if (attempt.ok) {
          const data = toData(node.name, attempt.body, unanswered);
          if (!data.leader) finish({ ok: false, latencyMs: since(start), error: `no leader (cluster view from ${node.name})`, data }, node.rest);
          else finish({ ok: true, latencyMs: since(start), data }, node.rest);
          return;
        }
        unanswered.push({ node: node.name, error: `${attempt.error} (${urlEndpoint(node.rest)})` });
        if (next < nodes.length) launch();
        else if (pending === 0) {
          const reasons = unanswered.map((u) => `${u.node}: ${u.error}`).join("; ");
          finish({ ok: false, latencyMs: since(start), error: `no Patroni node answered: ${reasons}` });
        }
      });
    };
    launch();
  });
}

/** One unit per cluster: Patroni's REST view (each node's PostgreSQL is a `postgres` unit of its own). */
export const patroniCollector: KindDef<"patroni", typeof CLUSTERS, PatroniTarget, PatroniData, ClustersConfig, PatroniHealthData> = {
  kind: "patroni",
  section: CLUSTERS,
  units: (config) => config.clusters.map((c) => ({ entry: c, target: c })),
  probe: probePatroni,
  judge: judgePatroni,
  judgeOptions: (c, base) => ({ ...base, maxLagSeconds: c.maxLagSeconds ?? base.maxLagSeconds }),
};
