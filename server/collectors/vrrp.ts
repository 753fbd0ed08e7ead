import "server-only";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Collector, ProbeResult, VrrpTarget } from "./types";
import { describeError, since } from "./util";

export const VRRP_STATES = ["MASTER", "BACKUP", "FAULT", "STOP", "UNKNOWN"] as const;
export type VrrpState = (typeof VRRP_STATES)[number];

export interface VrrpNodeView {
  name: string;
  state: VrrpState;
  priority: number | null;
  /** When the node last changed state, as its notify script wrote it (ISO 8601). */
  at: string | null;
  /** Why the state is UNKNOWN. */
  error: string | null;
}

export interface VrrpData {
  instance: string;
  vips: string[];
  /** Nodes that say they are MASTER: one is healthy, none means the VIP is down, two is split brain. */
  masters: string[];
  nodes: VrrpNodeView[];
}

/** What scripts/keepalived-notify.sh writes on every transition. */
const StateFile = z.object({
  node: z.string().optional(),
  instance: z.string().optional(),
  state: z.string(),
  priority: z.number().nullable().optional(),
  at: z.union([z.string(), z.number()]).nullable().optional(),
});

/** scripts/keepalived-notify.sh writes epoch milliseconds (`date +%s%3N`); plain seconds are accepted too. */
function epochToIso(n: number): string | null {
  const d = new Date(n > 1e11 ? n : n * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

async function readNode(node: VrrpTarget["nodes"][number], instance: string, signal: AbortSignal): Promise<VrrpNodeView> {
  const unknown = (error: string): VrrpNodeView => ({ name: node.name, state: "UNKNOWN", priority: null, at: null, error });
  if (!node.stateFile) return unknown("no stateFile configured");
  const start = performance.now();
  let text: string;
  try {
    text = await readFile(node.stateFile, { encoding: "utf8", signal });
  } catch (e) {
    return unknown(
      (e as NodeJS.ErrnoException).code === "ENOENT" ? "no state file yet" : describeError(e, signal, start, "reading state file"),
    );
  }
  let parsed: z.infer<typeof StateFile>;
  try {
    const r = StateFile.safeParse(JSON.parse(text));
    if (!r.success) return unknown("state file has no state");
    parsed = r.data;
  } catch {
    return unknown("state file is not JSON");
  }
  if (parsed.instance && parsed.instance !== instance) return unknown(`state file is for instance ${parsed.instance}`);
  const state = parsed.state.toUpperCase();
  const known = (VRRP_STATES as readonly string[]).includes(state) ? (state as VrrpState) : "UNKNOWN";
  const at = parsed.at == null ? null : typeof parsed.at === "number" ? epochToIso(parsed.at) : parsed.at;
  return {
    name: node.name,
    state: known,
    priority: parsed.priority ?? null,
    at,
    error: known === "UNKNOWN" ? `unrecognised state "${parsed.state.slice(0, 20)}"` : null,
  };
}

export async function probeVrrp(target: VrrpTarget, signal: AbortSignal): Promise<ProbeResult<VrrpData>> {
  const start = performance.now();
  const nodes = await Promise.all(target.nodes.map((n) => readNode(n, target.instance, signal)));
  const masters = nodes.filter((n) => n.state === "MASTER").map((n) => n.name);
  const data: VrrpData = { instance: target.instance, vips: target.vips, masters, nodes };
  const latencyMs = since(start);
  if (masters.length === 1) return { ok: true, latencyMs, data };
  if (masters.length > 1) return { ok: false, latencyMs, error: `split brain: ${masters.join(" and ")} are all MASTER`, data };
  if (nodes.every((n) => n.state === "UNKNOWN")) return { ok: false, latencyMs, error: "state unknown on every node", data };
  return { ok: false, latencyMs, error: "no node is MASTER: the VIP is not held", data };
}

export const vrrpCollector: Collector<"vrrp", VrrpTarget, VrrpData> = { kind: "vrrp", probe: probeVrrp };
