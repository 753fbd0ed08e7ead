import "server-only";
import type { ActionTarget, ActionView } from "@/lib/actions";
import { resolveTargetActions } from "@/server/config/actions";
import { probeHaproxy, type HaproxyProxy } from "@/server/collectors/haproxy";
import { readBounded } from "@/server/collectors/http";
import { checkPatroniCredentials, fetchPatroniJson, patroniAccessError, patroniRequest, probePatroni, type PatroniData } from "@/server/collectors/patroni";
import { probePostgres } from "@/server/collectors/postgres";
import type { PatroniNodeConfig, PatroniTarget } from "@/server/collectors/types";
import { describeError } from "@/server/collectors/util";
import type { Config } from "@/server/config/load";
import { AppError } from "@/server/errors";
import { z } from "zod";
import { judgePatroni, type PatroniFacts } from "./patroni-rules";
import type { ActResult, ActionDeps, ActionDriver, Observation, ResolvedTarget } from "./types";

/** Each read of a preflight or verification poll: a frozen node must not hold up the verdict. */
const READ_DEADLINE_MS = 2_000;
/** Patroni's POST /switchover polls up to 2 × max(10, loop_wait) s for the result before it answers. */
const POST_DEADLINE_MS = 35_000;

type Cluster = PatroniTarget;

/** GET /patroni on one node: the fields a candidate check reads. */
const NodeStatus = z.object({
  state: z.string().optional(),
  role: z.string().optional(),
  timeline: z.number().optional(),
  tags: z.object({ nofailover: z.unknown().optional() }).optional(),
});

const readSignal = () => AbortSignal.timeout(READ_DEADLINE_MS);

function nodeOf(cluster: Cluster, name: string | null | undefined): PatroniNodeConfig | undefined {
  return name ? cluster.nodes.find((n) => n.name === name) : undefined;
}

/** A proxy's servers that are cluster members (by address, else by name), with whether HAProxy sends traffic there. */
export function memberServers(proxy: HaproxyProxy, members: PatroniData["members"]): { member: string; up: boolean }[] {
  const out: { member: string; up: boolean }[] = [];
  for (const s of proxy.servers) {
    const m = members.find((x) => (x.host !== null && x.port !== null && s.address === `${x.host}:${x.port}`) || s.name === x.name);
    if (m) out.push({ member: m.name, up: s.status.startsWith("UP") });
  }
  return out;
}

async function haproxyRoutes(config: Config, members: PatroniData["members"], signal: AbortSignal) {
  const probes = await Promise.all(config.haproxy.map(async (h) => ({ h, r: await probeHaproxy(h, signal) })));
  return probes.flatMap(({ h, r }) =>
    r.ok ? r.data.proxies.map((p) => ({ route: `${h.id}/${p.name}`, servers: memberServers(p, members) })).filter((x) => x.servers.length >= 2) : [],
  );
}

async function gather(resolved: ResolvedTarget<Cluster>, target: ActionTarget, deps: ActionDeps): Promise<PatroniFacts> {
  const cluster = resolved.config;
  const signal = readSignal();
  const pat = await probePatroni(cluster, signal);
  const data = pat.data;
  if (!data) {
    return {
      apiError: pat.ok ? "no data" : pat.error, leader: null, paused: false, members: [], syncMode: null, maximumLagOnFailover: null,
      lastSwitchAt: null, leaderPg: null, candidate: null, restAuth: null, rwRoutes: [],
    };
  }
  const candNode = nodeOf(cluster, target.node);
  const leaderNode = nodeOf(cluster, data.leader);
  // The switchover is posted to the leader, a failover to the candidate: that node's credentials check counts.
  const postNode = target.kind === "patroni_switchover" ? leaderNode : candNode;
  const [rest, candPg, leaderPg, routes, restAuth] = await Promise.all([
    candNode ? fetchPatroniJson(cluster, candNode.rest, "patroni", NodeStatus, signal) : null,
    candNode ? probePostgres({ cluster, node: candNode }, signal) : null,
    leaderNode ? probePostgres({ cluster, node: leaderNode }, signal) : null,
    haproxyRoutes(deps.config, data.members, signal),
    postNode ? checkPatroniCredentials(cluster, postNode.rest, signal) : null,
  ]);
  const body = rest?.ok ? rest.body : null;
  const last = data.history?.at(-1);
  return {
    apiError: null,
    leader: data.leader,
    paused: data.paused,
    members: data.members.map((m) => ({ name: m.name, role: m.role, state: m.state, timeline: m.timeline, lag: m.lag })),
    syncMode: data.dcsConfig?.synchronousMode ?? null,
    maximumLagOnFailover: data.dcsConfig?.maximumLagOnFailover ?? null,
    lastSwitchAt: last?.at ? Date.parse(last.at) : null,
    leaderPg: leaderPg
      ? leaderPg.ok
        ? { ok: true, timeline: leaderPg.data.timeline, inRecovery: leaderPg.data.inRecovery, replication: leaderPg.data.replication }
        : { ok: false, error: leaderPg.error }
      : null,
    candidate: target.node
      ? {
          name: target.node,
          rest: rest
            ? rest.ok && body
              ? {
                  ok: true,
                  state: typeof body.state === "string" ? body.state : "",
                  role: typeof body.role === "string" ? body.role : "",
                  nofailover: body.tags?.nofailover === true,
                  timeline: typeof body.timeline === "number" ? body.timeline : null,
                }
              : { ok: false, error: rest.ok ? "unexpected /patroni answer" : rest.error }
            : null,
          pg: candPg
            ? candPg.ok
              ? { ok: true, timeline: candPg.data.timeline, inRecovery: candPg.data.inRecovery, replayPaused: candPg.data.standby?.replayPaused ?? false }
              : { ok: false, error: candPg.error }
            : null,
        }
      : null,
    restAuth: restAuth ? (restAuth.ok ? { ok: true } : { ok: false, error: restAuth.error }) : null,
    rwRoutes: routes.filter((r) => data.leader !== null && r.servers.filter((s) => s.up).map((s) => s.member).join() === data.leader).map((r) => r.route),
  };
}

/** Patroni answers in plain text ("Successfully switched over to "pg3"", "leader name does not match"). */
async function post(cluster: Cluster, rest: string, path: "switchover" | "failover", body: Record<string, string>): Promise<ActResult> {
  const start = performance.now();
  const signal = AbortSignal.timeout(POST_DEADLINE_MS);
  try {
    const req = patroniRequest(cluster, rest, path);
    req.headers.set("content-type", "application/json");
    const res = await fetch(req.url, { method: "POST", signal, headers: req.headers, body: JSON.stringify(body), cache: "no-store" });
    const text = (await readBounded(res, 4096)).trim().slice(0, 300);
    // Refused at the door: Patroni did not look at the request, so nothing happened.
    const denied = patroniAccessError(res.status, cluster);
    if (denied) return { status: "refused", message: `${denied}; nothing was done` };
    const said = `Patroni answered HTTP ${res.status}: ${text || "(empty)"}`;
    if (res.status === 200 || res.status === 202) return { status: "accepted", message: said };
    if (res.status === 412 || res.status === 400) return { status: "refused", message: said };
    if (res.status === 503 && /unknown/i.test(text)) return { status: "ambiguous", message: said };
    return { status: "failed", message: said };
  } catch (e) {
    const code = (e as { cause?: { code?: unknown } }).cause?.code;
    // Refused before anything was sent: nothing can have happened.
    if (code === "ECONNREFUSED") return { status: "failed", message: `Patroni REST API refused the connection; nothing was sent` };
    return { status: "ambiguous", message: `no answer from Patroni: ${describeError(e, signal, start)}` };
  }
}

async function act(resolved: ResolvedTarget<Cluster>, action: ActionView): Promise<ActResult> {
  const cluster = resolved.config;
  if (action.kind === "patroni_switchover") {
    const leader = nodeOf(cluster, action.expectedLeader);
    if (!leader) return { status: "failed", message: `the leader ${action.expectedLeader ?? "?"} is not a configured node` };
    // Patroni's own `leader` parameter: it refuses (412) if the leader changed in the meantime.
    const body: Record<string, string> = { leader: leader.name, candidate: action.node ?? "" };
    if (action.scheduledAt !== null) body.scheduled_at = new Date(action.scheduledAt).toISOString();
    return post(cluster, leader.rest, "switchover", body);
  }
  const cand = nodeOf(cluster, action.node);
  if (!cand) return { status: "failed", message: `the candidate ${action.node ?? "?"} is not a configured node` };
  return post(cluster, cand.rest, "failover", { candidate: cand.name });
}

async function observe(resolved: ResolvedTarget<Cluster>, action: ActionView, deps: ActionDeps): Promise<Observation> {
  const cluster = resolved.config;
  const want = action.node ?? "";
  const signal = readSignal();
  const pat = await probePatroni(cluster, signal);
  const data = pat.data;
  if (!data) return { done: false, detail: `Patroni does not answer: ${pat.ok ? "no data" : pat.error}` };
  if (data.leader !== want) {
    if (data.leader !== null && data.leader !== action.expectedLeader) {
      return { done: false, failed: true, detail: `${data.leader} took over instead of ${want}` };
    }
    return { done: false, detail: `the leader is ${data.leader ?? "none yet"}, waiting for ${want}` };
  }
  const node = nodeOf(cluster, want);
  if (!node) return { done: false, failed: true, detail: `${want} is not a configured node` };
  const [pg, routes] = await Promise.all([probePostgres({ cluster, node }, signal), haproxyRoutes(deps.config, data.members, signal)]);
  if (!pg.ok) return { done: false, detail: `${want} leads in Patroni, its PostgreSQL does not answer yet: ${pg.error}` };
  if (pg.data.inRecovery) return { done: false, detail: `${want} leads in Patroni, its PostgreSQL is still in recovery` };
  const others = data.members.filter((m) => m.name !== want).map((m) => m.name);
  const waiting = others.filter((n) => !pg.data.replication.some((r) => r.applicationName === n && r.state === "streaming"));
  if (waiting.length > 0) return { done: false, detail: `${want} is primary; waiting for ${waiting.join(", ")} to stream from it` };
  const wanted = String(action.preflight?.facts.rwRoutes ?? "").split(",").filter(Boolean);
  for (const route of wanted) {
    const r = routes.find((x) => x.route === route);
    const up = r?.servers.filter((s) => s.up).map((s) => s.member) ?? [];
    if (up.join() !== want) return { done: false, detail: `${route} routes to ${up.join(", ") || "nothing"}, waiting for ${want} alone` };
  }
  const via = wanted.length > 0 ? `; ${wanted.join(", ")} route${wanted.length === 1 ? "s" : ""} to ${want}` : "; no HAProxy route to check";
  return {
    done: true,
    detail: `${want} is the primary on timeline ${pg.data.timeline ?? "?"}; ${others.join(", ") || "no standby"} streaming${via}`,
    newTimeline: pg.data.timeline,
  };
}

function resolve(config: Config, target: ActionTarget): ResolvedTarget<Cluster> {
  const cluster = config.clusters.find((c) => c.id === target.targetId);
  if (!cluster) throw new AppError("NOT_FOUND", `no Patroni cluster "${target.targetId}" in the config`);
  return { kind: target.kind, targetId: cluster.id, lockKey: `patroni:${cluster.id}`, settings: resolveTargetActions("patroni", cluster.actions), config: cluster };
}

export const patroniDriver: ActionDriver<Cluster, PatroniFacts> = {
  resolve,
  confirmName: (r) => r.targetId,
  gather,
  currentLeader: (f) => f.leader,
  judge: judgePatroni,
  act: (r, a) => act(r, a),
  observe,
};
