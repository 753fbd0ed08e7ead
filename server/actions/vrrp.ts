import "server-only";
import { readFile, writeFile } from "node:fs/promises";
import type { ActionTarget, ActionView } from "@/lib/actions";
import { DEFAULT_DRAIN_WEIGHT, resolveTargetActions } from "@/server/config/actions";
import type { Config } from "@/server/config/load";
import type { VrrpTarget } from "@/server/collectors/types";
import { raceAbort } from "@/lib/async";
import { describeError } from "@/server/collectors/util";
import { probeVrrp } from "@/server/collectors/vrrp";
import { AppError } from "@/server/errors";
import type { ActResult, ActionDriver, Observation, ResolvedTarget } from "./types";
import { judgeVrrp, type VrrpFacts } from "./vrrp-rules";

const READ_DEADLINE_MS = 2_000;
/**
 * After an undrain the node pre-empts its VIPs back once its master_down timer runs out (~3.6 s). With
 * current effective priorities (the FIFO writer) that is checked directly; without them, the state must
 * stay quiet for longer than that.
 */
const UNDRAIN_QUIET_MS = 10_000;

type VrrpNode = VrrpTarget["nodes"][number];
interface Resolved {
  instance: VrrpTarget;
  node: VrrpNode;
  /** Every instance this node is in, with the same drain file: a drain moves them all. */
  affected: VrrpTarget[];
  peers: VrrpNode[];
}

async function readDrain(node: VrrpNode, signal: AbortSignal): Promise<{ file: string; value: number } | { error: string }> {
  if (!node.drainFile) return { error: `no drainFile configured for ${node.name} (vrrp[].nodes[].drainFile)` };
  const start = performance.now();
  try {
    // Local file calls cannot all take a signal; a hung mount must still not outlive the deadline.
    const text = (await raceAbort(readFile(node.drainFile, { encoding: "utf8", signal }), signal)).trim();
    const value = text === "" ? 0 : Number(text);
    if (!Number.isInteger(value)) return { error: `${node.name}'s drain file holds "${text.slice(0, 20)}", not a number` };
    return { file: node.drainFile, value };
  } catch (e) {
    return { error: `${node.name}'s drain file cannot be read: ${describeError(e, signal, start)}` };
  }
}

async function gather(resolved: ResolvedTarget<Resolved>): Promise<VrrpFacts> {
  const r = resolved.config;
  const signal = AbortSignal.timeout(READ_DEADLINE_MS);
  const [drain, peers, probes] = await Promise.all([
    readDrain(r.node, signal),
    Promise.all(r.peers.map(async (p) => ({ name: p.name, drain: await readDrain(p, signal) }))),
    Promise.all(r.affected.map(async (v) => ({ v, p: await probeVrrp(v, signal) }))),
  ]);
  let lastSwitchAt: number | null = null;
  for (const { p } of probes) {
    for (const n of p.data?.nodes ?? []) {
      if (n.state === "MASTER" && n.at) lastSwitchAt = Math.max(lastSwitchAt ?? 0, Date.parse(n.at) || 0) || lastSwitchAt;
    }
  }
  return {
    node: r.node.name,
    drain,
    peers,
    instances: probes.map(({ v, p }) => ({
      id: v.id,
      instance: v.instance,
      nodes: p.data ? p.data.nodes.map((n) => ({ name: n.name, state: n.state, error: n.error })) : v.nodes.map((n) => ({ name: n.name, state: "UNKNOWN", error: p.ok ? null : p.error })),
    })),
    lastSwitchAt,
  };
}

async function act(resolved: ResolvedTarget<Resolved>, action: ActionView): Promise<ActResult> {
  const node = resolved.config.node;
  if (!node.drainFile) return { status: "failed", message: `no drainFile configured for ${node.name}` };
  const value = action.kind === "vrrp_drain" ? (node.drainWeight ?? DEFAULT_DRAIN_WEIGHT) : 0;
  const signal = AbortSignal.timeout(READ_DEADLINE_MS);
  const start = performance.now();
  try {
    // keepalived sees the write at once (inotify) and lowers the node's priority by `value`.
    await raceAbort(writeFile(node.drainFile, `${value}\n`, { signal }), signal);
    return { status: "accepted", message: `wrote ${value} to ${node.name}'s drain file (priority ${value === 0 ? "restored" : `lowered by ${value}`})` };
  } catch (e) {
    return { status: signal.aborted ? "ambiguous" : "failed", message: `could not write ${node.name}'s drain file: ${describeError(e, signal, start)}` };
  }
}

/** Per action: since when the undrained state has looked right (process-local; a restart only waits again). */
const quietSince = new Map<number, number>();

async function observe(resolved: ResolvedTarget<Resolved>, action: ActionView, clock: () => number): Promise<Observation> {
  const r = resolved.config;
  const signal = AbortSignal.timeout(READ_DEADLINE_MS);
  const [drain, probes] = await Promise.all([readDrain(r.node, signal), Promise.all(r.affected.map((v) => probeVrrp(v, signal)))]);
  const draining = action.kind === "vrrp_drain";
  const problems: string[] = [];
  const holders: string[] = [];
  /** Priorities not known to be current: only time tells whether a pre-emption is still to come. */
  let unsure = false;
  if ("error" in drain) problems.push(drain.error);
  else if (draining !== (drain.value !== 0)) problems.push(`${r.node.name}'s drain file holds ${drain.value}`);
  probes.forEach((p, i) => {
    const v = r.affected[i]!;
    const nodes = p.data?.nodes ?? [];
    const masters = nodes.filter((n) => n.state === "MASTER").map((n) => n.name);
    const self = nodes.find((n) => n.name === r.node.name);
    if (masters.length !== 1) problems.push(`${v.instance}: ${masters.length === 0 ? "no MASTER" : `${masters.join(" and ")} MASTER`}`);
    else if (draining && masters[0] === r.node.name) problems.push(`${v.instance}: ${r.node.name} is still MASTER`);
    else if (!self || self.state === "UNKNOWN" || self.state === "FAULT") problems.push(`${v.instance}: ${r.node.name} is ${self?.state ?? "missing"}`);
    else if (draining) holders.push(`${v.instance} on ${masters[0]}`);
    else {
      const master = nodes.find((n) => n.name === masters[0])!;
      const current = self.priorityVia === "fifo" && master.priorityVia === "fifo" && self.basePriority !== null;
      const outranks = nodes.filter((n) => n.priorityVia === "fifo" && (n.priority ?? 0) > (master.priority ?? 0));
      if (current && self.priority !== self.basePriority) {
        problems.push(`${v.instance}: ${r.node.name}'s priority is ${self.priority ?? "?"}, its base ${self.basePriority} (not restored yet, or another check still lowers it)`);
      } else if (current && outranks.length > 0) {
        problems.push(`${v.instance}: ${outranks[0]!.name} (priority ${outranks[0]!.priority}) has not pre-empted ${master.name} (${master.priority}) yet`);
      } else holders.push(`${v.instance} on ${masters[0]}`);
      if (!current) unsure = true;
    }
  });
  if (problems.length > 0) {
    quietSince.delete(action.id);
    return { done: false, detail: `waiting: ${problems.join("; ")}` };
  }
  if (unsure) {
    const now = clock();
    const since = quietSince.get(action.id) ?? now;
    quietSince.set(action.id, since);
    if (now - since < UNDRAIN_QUIET_MS) return { done: false, detail: `${holders.join(", ")}; priorities not current, waiting ${((UNDRAIN_QUIET_MS - (now - since)) / 1000).toFixed(1)} s for a possible pre-emption` };
  }
  quietSince.delete(action.id);
  return { done: true, detail: `${draining ? `${r.node.name} drained` : `${r.node.name} undrained`}: ${holders.join(", ")}` };
}

function resolve(config: Config, target: ActionTarget): ResolvedTarget<Resolved> {
  const instance = config.vrrp.find((v) => v.id === target.targetId);
  if (!instance) throw new AppError("NOT_FOUND", `no VRRP instance "${target.targetId}" in the config`);
  const node = instance.nodes.find((n) => n.name === target.node);
  if (!node) throw new AppError("BAD_REQUEST", `name a node of ${instance.id}: ${instance.nodes.map((n) => n.name).join(", ")}`);
  const affected = config.vrrp.filter((v) => v.nodes.some((n) => n.name === node.name && n.drainFile === node.drainFile));
  const peers = instance.nodes.filter((n) => n.name !== node.name);
  // The pair, not the instance: draining a node moves every instance it is in.
  const lockKey = `vrrp:${instance.nodes.map((n) => n.name).sort().join("+")}`;
  return { kind: target.kind, targetId: instance.id, lockKey, settings: resolveTargetActions("vrrp", instance.actions), config: { instance, node, affected, peers } };
}

export const vrrpDriver: ActionDriver<Resolved, VrrpFacts> = {
  resolve,
  confirmName: (r) => r.targetId,
  gather: (r) => gather(r),
  currentLeader: () => null,
  judge: judgeVrrp,
  act: (r, a) => act(r, a),
  observe: (r, a, deps) => observe(r, a, deps.now),
};
