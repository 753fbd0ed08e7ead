/** Faults on demand: kill, freeze, resume or start a component, drain a keepalived node, partition the VRRP segment. */
import { readdirSync, writeFileSync } from "node:fs";
import { DAEMON_NAMES, daemonPid, descendants, findDaemon, postmasterPid, resumeTree, startIfMissing } from "./daemons";
import { patroniCluster, sentinelMasters, vrrpStates } from "./inspect";
import { ourNetns } from "./netns";
import { isAlive, procState, run, signal, waitFor } from "./proc";
import { NETNS, PG_NODES, REDIS_NODES, VRRP_DRAIN_WEIGHT, VRRP_INSTANCES, VRRP_NODES, paths } from "./topology";

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
  // A daemon with children gets the signal as one process group, all at once: one by one, keepalived's
  // VRRP child would see its parent die first and shut down cleanly (PR_SET_PDEATHSIG), removing the
  // VIPs that a real SIGKILL leaves configured.
  const group = DAEMON_NAMES.includes(name) && findDaemon(name).groupSignals ? daemonPid(findDaemon(name)) : undefined;
  if (group) signal(-group, sig);
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

/**
 * A VRRP partition: the keepalived nodes stop hearing each other's adverts (and everything else from
 * each other), so each becomes MASTER, while the observer on the bridge still reaches both. Made with
 * the bridge's port isolation: isolated ports never forward to one another, only to the bridge itself.
 */
export function partition(on: boolean): string {
  if (!ourNetns().includes(NETNS.bridge)) {
    if (on) throw new Error(`no ${NETNS.bridge} namespace (is the lab up?)`);
    return "no VRRP segment: nothing to heal";
  }
  // Healing never fails: `lab down` calls it whatever state a crashed run left.
  for (const n of VRRP_NODES) run("bridge", ["-n", NETNS.bridge, "link", "set", "dev", n.veth, "isolated", on ? "on" : "off"], { allowFail: !on });
  return on ? `partitioned ${VRRP_NODES.map((n) => n.name).join(" and ")}: they no longer hear each other's VRRP adverts` : "healed the VRRP partition";
}

/** Whether the VRRP segment is partitioned right now (each node's bridge port isolated). */
export function partitioned(): boolean {
  if (!ourNetns().includes(NETNS.bridge)) return false;
  return VRRP_NODES.every((n) => / isolated on /.test(run("bridge", ["-n", NETNS.bridge, "-d", "link", "show", "dev", n.veth], { allowFail: true }).stdout));
}
