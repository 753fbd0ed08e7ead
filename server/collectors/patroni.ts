import "server-only";
import { z } from "zod";
import { readBounded, requestFor } from "./http";
import type { Collector, PatroniTarget, ProbeResult } from "./types";
import { describeError, since, urlEndpoint } from "./util";

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

export interface PatroniData {
  /** The member whose REST API answered. Every member reports the whole cluster as stored in the DCS. */
  answeredBy: string;
  leader: string | null;
  members: PatroniMember[];
  paused: boolean;
  /** Members tried before an answer came, with the reason they did not answer. */
  unanswered: { node: string; error: string }[];
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

/** How long to wait for one node before also asking the next: a hung node must not use up the whole deadline. */
export const HEDGE_MS = 150;

type Attempt = { ok: true; body: z.infer<typeof ClusterResponse> } | { ok: false; error: string };

async function fetchCluster(rest: string, signal: AbortSignal): Promise<Attempt> {
  const start = performance.now();
  try {
    const req = requestFor(new URL("cluster", rest.endsWith("/") ? rest : `${rest}/`).toString());
    const res = await fetch(req.url, { signal, headers: req.headers, cache: "no-store" });
    const text = await readBounded(res, 1024 * 1024);
    if (!res.ok) return { ok: false, error: `HTTP ${res.status}` };
    const parsed = ClusterResponse.safeParse(JSON.parse(text));
    if (!parsed.success) return { ok: false, error: "unexpected /cluster response" };
    return { ok: true, body: parsed.data };
  } catch (e) {
    if (e instanceof SyntaxError) return { ok: false, error: "unexpected /cluster response (not JSON)" };
    return { ok: false, error: describeError(e, signal, start) };
  }
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
 * Ask the cluster's nodes in config order; the first that answers wins. If a node has not answered
 * within HEDGE_MS (or fails), the next one is asked too, so a stopped node costs HEDGE_MS, not the deadline.
 */
export function probePatroni(target: PatroniTarget, signal: AbortSignal): Promise<ProbeResult<PatroniData>> {
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
    const finish = (result: ProbeResult<PatroniData>) => {
      if (done) return;
      done = true;
      for (const t of timers) clearTimeout(t);
      local.abort();
      resolve(result);
    };
    const launch = () => {
      const node = nodes[next];
      if (done || !node) return;
      next++;
      pending++;
      const hedge = setTimeout(launch, HEDGE_MS);
      timers.add(hedge);
      void fetchCluster(node.rest, attemptSignal).then((attempt) => {
        clearTimeout(hedge);
        timers.delete(hedge);
        pending--;
        if (done) return;
        if (attempt.ok) {
          const data = toData(node.name, attempt.body, unanswered);
          if (!data.leader) finish({ ok: false, latencyMs: since(start), error: `no leader (cluster view from ${node.name})`, data });
          else finish({ ok: true, latencyMs: since(start), data });
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

export const patroniCollector: Collector<"patroni", PatroniTarget, PatroniData> = { kind: "patroni", probe: probePatroni };
