import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { TargetActions, VrrpNodeDrain } from "@/server/config/actions";
import { TargetBase } from "@/server/config/fields";
import { raceAbort } from "@/lib/async";
import type { EntryOf, KindDef, ProbeResult, Section } from "./types";
import { describeError, since } from "./util";
import { judgeVrrp, type VrrpHealthData } from "@/server/health/judge";
import { VipProbe, probeVipIdentity, type VipAnswer } from "./vrrp-vip";

export type { VipAnswer } from "./vrrp-vip";

export const VrrpNode = z.strictObject({
  name: z.string().min(1, { error: "expected the node name" }),
  /** The node's own address on the VRRP segment (informational). */
  address: z.string().optional(),
  /** This node's `priority` in the instance's keepalived.conf (its base priority), shown beside the effective one. */
  priority: z.number().int().min(1, { error: "VRRP priority is 1..255" }).max(255, { error: "VRRP priority is 1..255" }).optional(),
  /**
   * Where the node's VRRP state is read from: a JSON file rewritten by scripts/keepalived-fifo.sh on
   * every transition and priority change (or by scripts/keepalived-notify.sh, on transitions only).
   */
  stateFile: z.string().min(1).optional(),
  /**
   * Liveness: a file keepalived touches every second (scripts/keepalived-heartbeat.sh). The state
   * file is written only on transitions and keeps saying MASTER after keepalived is killed, so it
   * is believed only while this file is fresh. Default: `heartbeat` beside stateFile; `false`
   * trusts the state file alone.
   */
  heartbeatFile: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** A heartbeat older than this makes the node UNKNOWN. Default 3000 (the script runs every second). */
  heartbeatMaxAgeMs: z
    .number()
    .int()
    .min(1500, { error: "expected at least 1500 ms: the heartbeat script runs once a second" })
    .max(600_000)
    .optional(),
  /** What this node answers on the instance's vipProbe, when not its name (e.g. its hostname). */
  identity: z.string().min(1).max(200).optional(),
  ...VrrpNodeDrain,
});

export const VrrpInstance = z.strictObject({
  ...TargetBase,
  /** keepalived's vrrp_instance name, e.g. VI_TRADING */
  instance: z.string().min(1),
  virtualRouterId: z.number().int().min(1).max(255, { error: "virtual_router_id is 1..255" }),
  vips: z.array(z.string().min(1)).min(1, { error: "list at least one virtual IP" }),
  nodes: z.array(VrrpNode).min(2, { error: "a VRRP instance needs at least two nodes" }),
  /** Who answers on the VIP: a request through it, answered by the holder's identity (README, "VIP identity probe"). */
  vipProbe: VipProbe.optional(),
  actions: TargetActions.optional(),
});

export const VRRP: Section<"vrrp", typeof VrrpInstance> = { name: "vrrp", schema: VrrpInstance };
export type VrrpTarget = EntryOf<typeof VRRP>;

export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "STOP", "UNKNOWN"] as const;
export type VrrpState = (typeof VRRP_STATES)[number];

/** A heartbeat older than this makes a node UNKNOWN unless the node sets heartbeatMaxAgeMs. */
export const DEFAULT_HEARTBEAT_MAX_AGE_MS = 3000;

export interface VrrpNodeView {
  name: string;
  /** UNKNOWN when the state file is missing or unreadable, or keepalived stopped reporting. */
  state: VrrpState;
  /** What the state file says, even when `state` is UNKNOWN because keepalived is silent. */
  lastState: VrrpState | null;
  /** The effective priority keepalived last reported (base priority plus the weights of failed tracks). */
  priority: number | null;
  /** The node's configured base priority (its `priority` in keepalived.conf), from the dashboard config. */
  basePriority: number | null;
  /**
   * How current `priority` is: "fifo" (scripts/keepalived-fifo.sh: every change), "notify"
   * (scripts/keepalived-notify.sh: as of the last transition), null when the file does not say.
   */
  priorityVia: "fifo" | "notify" | null;
  /** When the node last changed state, as its notify script wrote it (ISO 8601). */
  at: string | null;
  /** Age of the heartbeat file (ms); null when not configured (`heartbeatFile: false`) or absent. */
  heartbeatAgeMs: number | null;
  /** Why the state is UNKNOWN. */
  error: string | null;
  /**
   * keepalived stopped reporting: its heartbeat is stale or missing. With lastState MASTER it may
   * still hold the VIP (a killed keepalived does not remove its addresses).
   */
  silent: boolean;
}

export interface VrrpData {
  instance: string;
  vips: string[];
  /** Nodes that say they are MASTER: one is healthy, none means the VIP is down, two is split brain. */
  masters: string[];
  nodes: VrrpNodeView[];
  /** Who answered on the VIP this poll (the vipProbe); null when no probe is configured. */
  vipAnswer: VipAnswer | null;
}

type VrrpNodeConfig = VrrpTarget["nodes"][number];

/** What scripts/keepalived-fifo.sh (every transition and priority change) or keepalived-notify.sh (transitions) write. */
const StateFile = z.object({
  node: z.string().optional(),
  instance: z.string().optional(),
  state: z.string(),
  priority: z.number().nullable().optional(),
  at: z.union([z.string(), z.number()]).nullable().optional(),
  via: z.string().optional(),
});

/** scripts/keepalived-notify.sh writes epoch milliseconds (`date +%s%3N`); plain seconds are accepted too. */
function epochToIso(n: number): string | null {
  const d = new Date(n > 1e11 ? n : n * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The heartbeat file of a node: explicit, `heartbeat` beside the state file, or none. */
export function heartbeatPath(node: VrrpNodeConfig): string | null {
  if (node.heartbeatFile === false) return null;
  if (node.heartbeatFile) return node.heartbeatFile;
  return node.stateFile ? path.join(path.dirname(node.stateFile), "heartbeat") : null;
}

type StateRead =
  | { ok: true; state: VrrpState; raw: string; priority: number | null; priorityVia: VrrpNodeView["priorityVia"]; at: string | null }
  | { ok: false; error: string };

async function readState(file: string, instance: string, signal: AbortSignal, start: number): Promise<StateRead> {
  let text: string;
  try {
    // A hung mount must still not outlive the deadline.
    text = await raceAbort(readFile(file, { encoding: "utf8", signal }), signal);
  } catch (e) {
    const error = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no state file yet" : describeError(e, signal, start, "reading state file");
    return { ok: false, error };
  }
  let parsed: z.infer<typeof StateFile>;
  try {
    const r = StateFile.safeParse(JSON.parse(text));
    if (!r.success) return { ok: false, error: "state file has no state" };
    parsed = r.data;
  } catch {
    return { ok: false, error: "state file is not JSON" };
  }
  if (parsed.instance && parsed.instance !== instance) return { ok: false, error: `state file is for instance ${parsed.instance.slice(0, 40)}` };
  const upper = parsed.state.toUpperCase();
  const state = (VRRP_STATES as readonly string[]).includes(upper) ? (upper as VrrpState) : "UNKNOWN";
  const at = parsed.at == null ? null : typeof parsed.at === "number" ? epochToIso(parsed.at) : parsed.at;
  const priorityVia = parsed.via === "fifo" || parsed.via === "notify" ? parsed.via : null;
  return { ok: true, state, raw: parsed.state, priority: parsed.priority ?? null, priorityVia, at };
}

type HeartbeatRead = { kind: "off" } | { kind: "age"; ms: number } | { kind: "missing" } | { kind: "error"; error: string };

async function readHeartbeat(file: string | null, signal: AbortSignal, start: number): Promise<HeartbeatRead> {
  if (!file) return { kind: "off" };
  try {
    const s = await raceAbort(stat(file), signal);
    // A clock step or skew can put the mtime in the future: that is a fresh heartbeat.
    return { kind: "age", ms: Math.max(0, Date.now() - s.mtimeMs) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "error", error: describeError(e, signal, start, "reading heartbeat") };
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000));
}

async function readNode(node: VrrpNodeConfig, instance: string, signal: AbortSignal): Promise<VrrpNodeView> {
  const view = (v: Partial<VrrpNodeView>): VrrpNodeView => ({
    name: node.name, state: "UNKNOWN", lastState: null, priority: null, basePriority: node.priority ?? null, priorityVia: null, at: null, heartbeatAgeMs: null, error: null, silent: false, ...v,
  });
  if (!node.stateFile) return view({ error: "no stateFile configured" });
  const start = performance.now();
  const [st, hb] = await Promise.all([readState(node.stateFile, instance, signal, start), readHeartbeat(heartbeatPath(node), signal, start)]);
  const last = st.ok ? { lastState: st.state, priority: st.priority, priorityVia: st.priorityVia, at: st.at } : {};
  const lastWords = st.ok ? `last state ${st.state}` : "no readable state file";
  const heartbeatAgeMs = hb.kind === "age" ? Math.round(hb.ms) : null;

  // Liveness first: a silent keepalived's last word is never reported as its state.
  const maxAge = node.heartbeatMaxAgeMs ?? DEFAULT_HEARTBEAT_MAX_AGE_MS;
  if (hb.kind === "age" && hb.ms > maxAge) {
    return view({ ...last, heartbeatAgeMs, silent: true, error: `keepalived not reporting (last heartbeat ${seconds(hb.ms)} s ago; ${lastWords})` });
  }
  if (hb.kind === "missing") {
    return view({ ...last, silent: true, error: `keepalived not reporting (no heartbeat file: keepalived never ran here, or scripts/keepalived-heartbeat.sh is not deployed; ${lastWords})` });
  }
  if (hb.kind === "error") return view({ ...last, error: `${hb.error}; ${lastWords}` });

  if (!st.ok) return view({ heartbeatAgeMs, error: st.error });
  return view({
    ...last,
    state: st.state,
    heartbeatAgeMs,
    error: st.state === "UNKNOWN" ? `unrecognised state "${st.raw.slice(0, 20)}"` : null,
  });
}

export async function probeVrrp(target: VrrpTarget, signal: AbortSignal): Promise<ProbeResult<VrrpData>> {
  const start = performance.now();
  // The VIP is asked at the same moment the state is read, so the two can be compared.
  const [nodes, vipAnswer] = await Promise.all([
    Promise.all(target.nodes.map((n) => readNode(n, target.instance, signal))),
    target.vipProbe ? probeVipIdentity(target.vipProbe, target.nodes, signal) : null,
  ]);
  const masters = nodes.filter((n) => n.state === "MASTER").map((n) => n.name);
  const data: VrrpData = { instance: target.instance, vips: target.vips, masters, nodes, vipAnswer };
  const latencyMs = since(start);
  if (masters.length === 1) return { ok: true, latencyMs, data };
  if (masters.length > 1) return { ok: false, latencyMs, error: `split brain: ${masters.join(" and ")} are all MASTER`, data };
  const unknown = nodes.filter((n) => n.state === "UNKNOWN").map((n) => n.name);
  if (unknown.length === nodes.length) return { ok: false, latencyMs, error: "state unknown on every node", data };
  if (unknown.length > 0) return { ok: false, latencyMs, error: `no node reports MASTER; ${unknown.join(", ")} unknown`, data };
  return { ok: false, latencyMs, error: "no node is MASTER: the VIP is not held", data };
}

export const vrrpCollector: KindDef<"vrrp", typeof VRRP, VrrpTarget, VrrpData, { vrrp: readonly VrrpTarget[] }, VrrpHealthData> = {
  kind: "vrrp",
  section: VRRP,
  units: (config) => config.vrrp.map((v) => ({ entry: v, target: v })),
  probe: probeVrrp,
  judge: judgeVrrp,
};
