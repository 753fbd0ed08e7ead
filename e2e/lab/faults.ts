/** Faults on demand: kill, freeze, resume or start a component (`etcd`: every member), and drain a keepalived node. */
import { readdirSync, writeFileSync } from "node:fs";
import { daemonPid, descendants, findDaemon, groupDaemons, postmasterPid, resumeTree, startIfMissing } from "./daemons";
import { patroniCluster, sentinelMasters, vrrpStates } from "./inspect";
import { isAlive, procState, signal, waitFor } from "./proc";
import { PG_NODES, REDIS_NODES, VRRP_DRAIN_WEIGHT, VRRP_INSTANCES, VRRP_NODES, paths } from "./topology";

/** Names a fault can target: daemons, `pgN-patroni`/`pgN-postgres`, and role aliases resolved now. */
async function resolveTarget(target: string): Promise<string> {
  const alias = async (): Promise<string | undefined> => {
    switch (target) {
      case "leader":
        return (await patroniCluster())?.members.find((m) => m.role === "leader")?.name;
      case "sync":
        return (await patroniCluster())?.members.find((m) => m.role === "sync_standby")?.name;
      case "replica":
        return (await patroniCluster())?.members.find((m) => m.role === "replica")?.name;
      case "redis-master":
      case "redis-replica": {
        const m = Object.values(await sentinelMasters()).find(Boolean);
        const port = m ? Number(m.split(":")[1]) : undefined;
        return REDIS_NODES.find((n) => (target === "redis-master" ? n.port === port : n.port !== port))?.name;
      }
      case "vrrp-master":
        return vrrpStates().find((s) => s.instance === VRRP_INSTANCES[0].name && s.state === "MASTER")?.node;
      default:
        return target;
    }
  };
  const name = await alias();
  if (!name) throw new Error(`cannot resolve "${target}" right now (is the lab up?)`);
  return name;
}

/** The processes a signal verb acts on for a target. */
function targetPids(name: string): number[] {
  if (name === "etcd") return groupDaemons("etcd").flatMap((d) => targetPids(d.name));
  const m = /^(pg\d)(?:-(patroni|postgres))?$/.exec(name);
  if (m?.[1] && PG_NODES.some((n) => n.name === m[1])) {
    const node = m[1];
    const patroni = daemonPid(findDaemon(node));
    const pm = postmasterPid(node);
    const pgTree = pm ? [pm, ...descendants(pm)] : [];
    if (m[2] === "patroni") return patroni ? [patroni] : [];
    if (m[2] === "postgres") return pgTree;
    return [...(patroni ? [patroni] : []), ...pgTree];
  }
  const d = findDaemon(name);
  const pid = daemonPid(d);
  if (!pid) return [];
  return d.groupSignals ? [pid, ...descendants(pid)] : [pid];
}

export async function fault(verb: "kill" | "stop" | "resume" | "start", target: string): Promise<string> {
  const name = await resolveTarget(target);
  if (verb === "start" && name === "etcd") {
    const members = groupDaemons("etcd");
    for (const d of members) resumeTree(daemonPid(d));
    const started = [];
    for (const d of members) if (await startIfMissing(d)) started.push(d.name);
    return started.length > 0 ? `started ${started.join(", ")}` : "every etcd member is already running";
  }
  if (verb === "start") {
    const base = name.replace(/-(patroni|postgres)$/, "");
    const d = findDaemon(base);
    resumeTree(daemonPid(d));
    const started = await startIfMissing(d);
    return started ? `started ${base}` : `${base} is already running`;
  }
  const pids = targetPids(name);
  if (pids.length === 0) throw new Error(`${name} is not running`);
  const sig = { kill: "SIGKILL", stop: "SIGSTOP", resume: "SIGCONT" }[verb] as NodeJS.Signals;
  for (const p of pids) signal(p, sig);
  // Signals land thread by thread; return only once they have, so a test's next step sees the fault.
  const done = () =>
    verb === "kill" ? pids.every((p) => !isAlive(p)) : pids.every((p) => threadStates(p).every((st) => (verb === "stop" ? st === "T" || st === "t" : st !== "T" && st !== "t")));
  await waitFor(`${sig} to take effect on ${name}`, done, 5_000, 20);
  return `${verb}: sent ${sig} to ${name} (pids ${pids.join(", ")})`;
}

/** The state letter of every thread of a process (empty once it is gone). */
function threadStates(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((t) => procState(Number(t)) ?? "");
  } catch {
    return [];
  }
}

/** Lower a keepalived node's priority at runtime through its track_file; keepalived picks it up via inotify. */
export function drain(node: string, on: boolean): string {
  if (!VRRP_NODES.some((n) => n.name === node)) throw new Error(`drain takes a keepalived node: ${VRRP_NODES.map((n) => n.name).join(", ")}`);
  writeFileSync(paths.drainFile(node), `${on ? VRRP_DRAIN_WEIGHT : 0}\n`);
  return on ? `drained ${node}: priority lowered by ${VRRP_DRAIN_WEIGHT}, its VIPs move to the peer` : `undrained ${node}`;
}
