/** `lab up` and `lab down`: start what is missing and wait until healthy; stop everything and clean up. */
import { rmSync } from "node:fs";
import { DEMO_USERS_README } from "./demo-users";
import { daemonPid, daemons, findDaemon, groupDaemons, postmasterPid, anyLabProcess, resumeTree, startIfMissing, type Daemon } from "./daemons";
import { strayLabProcesses } from "./leftovers";
import { createNetns, deleteNetns, netnsComplete } from "./netns";
import { existsSync, isAlive, run, signal, sleep, stopPid, waitFor } from "./proc";
import { waitReady } from "./readiness";
import { PG_NODES, VRRP_NODES, paths } from "./topology";
import { writeConfigs, writeDashboardConfig } from "./write-configs";
import { etcdQuorum } from "./inspect";
import { partition } from "./faults";

const REQUIRED_BINARIES = ["etcd", "patroni", "redis-server", "redis-sentinel", "haproxy", "keepalived", "ip", "curl", "setpriv", "/usr/lib/postgresql/15/bin/postgres", "/usr/bin/python3", "/usr/bin/prometheus-alertmanager"];

function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error("the lab must run as root (network namespaces, and PostgreSQL runs as the postgres user)");
  const missing = REQUIRED_BINARIES.filter((b) => (b.startsWith("/") ? !existsSync(b) : run("sh", ["-c", `command -v ${b}`], { allowFail: true }).status !== 0));
  if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}; run: bash scripts/install-deps.sh`);
  const pgUser = run("id", ["-u", "postgres"], { allowFail: true });
  if (pgUser.status !== 0) throw new Error("no postgres user; install postgresql-15 (bash scripts/install-deps.sh)");
}

export async function up(opts: { timeoutMs?: number } = {}): Promise<void> {
  checkPrerequisites();
  const t0 = Date.now();
  const fresh = !anyLabProcess();
  if (fresh) {
    console.log(`lab: fresh start in ${paths.root}`);
    cleanStale();
    writeConfigs();
    createNetns();
  } else {
    console.log("lab: already (partly) running; starting what is missing");
    writeDashboardConfig(); // regenerated on every run, so a lab started by an older checkout gets today's keys
    if (!netnsComplete() && !VRRP_NODES.some((n) => daemonPid(findDaemon(n.name)))) createNetns();
  }
  // etcd first, all members at once (none is healthy before a quorum has formed): Patroni's first loop needs the DCS.
  for (const d of groupDaemons("etcd")) await startIfMissing(d);
  await waitFor("etcd quorum", etcdQuorum, 20_000);
  for (const d of daemons) await startIfMissing(d);
  await waitReady(t0, opts.timeoutMs ?? 90_000);
  console.log(`lab: up in ${((Date.now() - t0) / 1000).toFixed(1)} s; dashboard config: ${paths.config}`);
  console.log(`lab: demo users (viewer, operator, approver, admin) and their passwords: ${DEMO_USERS_README}`);
}

/** Leftovers of a crashed run: pid files, namespaces, dump files. Processes are not touched here. */
function cleanStale(): void {
  rmSync(paths.run, { recursive: true, force: true });
  deleteNetns();
}

export async function down(): Promise<void> {
  const t0 = Date.now();
  const stop = async (d: Daemon, graceMs = 15_000) => {
    const pid = daemonPid(d);
    if (pid) {
      if (d.groupSignals) {
        signal(-pid, "SIGCONT");
        signal(-pid, "SIGTERM");
      }
      await stopPid(pid, graceMs, d.stopSignal);
      if (d.groupSignals) signal(-pid, "SIGKILL");
    }
    rmSync(paths.pidFile(d.name), { force: true });
  };
  const byGroup = (...g: Daemon["group"][]) => daemons.filter((d) => g.includes(d.group));
  partition(false);
  // Unfreeze every node first: a frozen postmaster would hold up Patroni's shutdown.
  for (const n of PG_NODES) resumeTree(postmasterPid(n.name));
  await Promise.all([
    ...byGroup("app", "oidc", "keepalived", "node-app", "haproxy", "sentinel", "redis", "store", "relay", "alerting").map((d) => stop(d)),
    ...byGroup("patroni").map((d) => stop(d, 25_000)),
  ]);
  // Orphan postmasters (Patroni was killed alone): fast shutdown, then immediate.
  await Promise.all(
    PG_NODES.map(async (n) => {
      const pid = postmasterPid(n.name);
      if (!pid) return;
      signal(pid, "SIGINT");
      for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
      if (isAlive(pid)) signal(pid, "SIGQUIT");
    }),
  );
  await Promise.all(groupDaemons("etcd").map((d) => stop(d)));
  // Anything of ours whose pid file was lost (a crashed CLI run): same treatment, found by its command line.
  await Promise.all(strayLabProcesses().map((p) => stopPid(p, 10_000)));
  deleteNetns();
  for (const dir of [paths.etcd, paths.pg, paths.redis, paths.haproxy, paths.keepalived, paths.storePg, paths.run, paths.alertmanagerData]) rmSync(dir, { recursive: true, force: true });
  console.log(`lab: down in ${((Date.now() - t0) / 1000).toFixed(1)} s (logs kept in ${paths.logs})`);
}
