import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { labDashboardConfigYaml } from "./dashboard-config";
import { DEMO_USERS_README, writeDemoUsers } from "./demo-users";
import {
  APPS, ETCD, HAPROXY, HOST, NETNS, NODE_HTTP_PORT, PG_AUTH, PG_NODES, REDIS_NODES, SENTINELS, STORE_PG, VRRP_DRAIN_WEIGHT,
  VRRP_INSTANCES, VRRP_NODES, paths, type AppName,
} from "./topology";
import {
  ensureDir, existsSync, isAlive, procState, readPid, run, signal, sleep, startDaemon, stopPid, waitFor, writeFile,
} from "./proc";
import { createNetns, deleteNetns, netnsComplete, ourNetns } from "./netns";
import { etcdArgs, haproxyCfg, keepalivedConf, nodeCheckScript, patroniYaml, redisConf, sentinelConf } from "./service-configs";
import {
  appHealth, haproxyRwTarget, haproxyStats, healthyPatroni, httpStatus, patroniCluster, pgQuery, portOpen, redisReplication,
  sentinelCkquorum, sentinelMasters, vipHolder, vrrpStates,
} from "./inspect";

const REPO = path.resolve(import.meta.dirname, "../..");

/** One lab daemon: how to start it and how to recognise its process (guards against a recycled PID). */
interface Daemon {
  name: string;
  group: "etcd" | "patroni" | "redis" | "sentinel" | "haproxy" | "keepalived" | "node-app" | "app" | "store";
  /** A string that appears in the process's /proc/PID/cmdline. */
  token: string;
  start(): void;
  /** Signal the whole process group (keepalived forks a VRRP child and runs scripts). */
  groupSignals?: boolean;
  /** How to ask it to stop (PostgreSQL: SIGINT is the fast shutdown; SIGTERM waits for clients). */
  stopSignal?: NodeJS.Signals;
}

const daemons: Daemon[] = [
  {
    name: "etcd",
    group: "etcd",
    token: paths.etcd,
    start: () => void startDaemon({ name: "etcd", cmd: "etcd", args: etcdArgs() }),
  },
  ...PG_NODES.map<Daemon>((n) => ({
    name: n.name,
    group: "patroni",
    token: path.join(paths.pg, `${n.name}.yml`),
    start: () =>
      void startDaemon({
        name: n.name,
        // setpriv execs in place, so the recorded PID is Patroni's own (PostgreSQL refuses to run as root).
        cmd: "setpriv",
        args: ["--reuid=postgres", "--regid=postgres", "--init-groups", "patroni", path.join(paths.pg, `${n.name}.yml`)],
        env: { ...process.env, HOME: "/var/lib/postgresql" },
      }),
  })),
  ...REDIS_NODES.map<Daemon>((n) => ({
    name: n.name,
    group: "redis",
    token: `:${n.port}`,
    start: () => void startDaemon({ name: n.name, cmd: "redis-server", args: [path.join(paths.redis, `${n.name}.conf`)] }),
  })),
  ...SENTINELS.map<Daemon>((s) => ({
    name: s.name,
    group: "sentinel",
    token: `:${s.port}`,
    start: () => void startDaemon({ name: s.name, cmd: "redis-sentinel", args: [path.join(paths.redis, `${s.name}.conf`)] }),
  })),
  {
    name: "haproxy",
    group: "haproxy",
    token: path.join(paths.haproxy, "haproxy.cfg"),
    start: () => void startDaemon({ name: "haproxy", cmd: "haproxy", args: ["-f", path.join(paths.haproxy, "haproxy.cfg"), "-db"] }),
  },
  ...VRRP_NODES.flatMap<Daemon>((n) => {
    const dir = path.join(paths.keepalived, n.name);
    return [
      {
        name: `${n.name}-app`,
        group: "node-app",
        token: path.join(dir, "www"),
        start: () =>
          void startDaemon({
            name: `${n.name}-app`,
            cmd: "ip",
            args: ["netns", "exec", n.netns, "/usr/bin/python3", "-m", "http.server", String(NODE_HTTP_PORT), "--bind", "0.0.0.0", "--directory", path.join(dir, "www")],
          }),
      },
      {
        name: n.name,
        group: "keepalived",
        token: path.join(dir, "keepalived.conf"),
        groupSignals: true,
        start: () =>
          void startDaemon({
            name: n.name,
            cmd: "ip",
            args: [
              "netns", "exec", n.netns, "keepalived", "-n", "-l", "-D", "--vrrp",
              "-f", path.join(dir, "keepalived.conf"), "-p", path.join(dir, "keepalived.pid"),
              "-r", path.join(dir, "vrrp.pid"), "-c", path.join(dir, "checkers.pid"),
            ],
            // keepalived writes its dump files to $TMPDIR (default /tmp, shared): one folder per node.
            env: { ...process.env, TMPDIR: path.join(dir, "tmp") },
          }),
      },
    ];
  }),
  {
    name: "store-pg",
    group: "store",
    token: paths.storePg,
    stopSignal: "SIGINT",
    start: () => {
      const data = path.join(paths.storePg, "data");
      const asPostgres = ["--reuid=postgres", "--regid=postgres", "--init-groups"];
      if (!existsSync(path.join(data, "PG_VERSION"))) {
        ensureDir(paths.storePg);
        run("chown", ["postgres:postgres", paths.storePg]);
        run("setpriv", [...asPostgres, "/usr/lib/postgresql/15/bin/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
      }
      startDaemon({
        name: "store-pg",
        cmd: "setpriv",
        args: [...asPostgres, "/usr/lib/postgresql/15/bin/postgres", "-D", data, "-p", String(STORE_PG.port), "-k", paths.storePg, "-c", `listen_addresses=${HOST}`, "-c", "shared_buffers=16MB"],
        env: { ...process.env, HOME: "/var/lib/postgresql" },
      });
    },
  },
  ...(Object.keys(APPS) as AppName[]).map<Daemon>((name) => ({
    name,
    group: "app",
    token: `app.ts ${name}`,
    start: () =>
      void startDaemon({
        name,
        cmd: process.execPath,
        args: ["--import", "tsx", path.join(REPO, "e2e/lab/services/app.ts"), name],
        cwd: REPO,
      }),
  })),
];

export const DAEMON_NAMES = daemons.map((d) => d.name);

/** Every daemon's live PID (undefined when not running). */
export function daemonPids(): Record<string, number | undefined> {
  return Object.fromEntries(daemons.map((d) => [d.name, daemonPid(d)]));
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** The daemon's PID if it is alive and really is that daemon. */
export function daemonPid(d: Daemon): number | undefined {
  const pid = readPid(d.name);
  return pid && isAlive(pid) && cmdline(pid).includes(d.token) ? pid : undefined;
}

function findDaemon(name: string): Daemon {
  const d = daemons.find((x) => x.name === name);
  if (!d) throw new Error(`unknown component "${name}"`);
  return d;
}

/** PIDs of all descendants, from /proc (a PostgreSQL node is a postmaster plus its backends). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** The postmaster of a node's data dir, if one is running (also after Patroni itself died). */
export function postmasterPid(node: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(paths.pgData(node), "postmaster.pid"), "utf8").split("\n")[0]);
    return isAlive(pid) && cmdline(pid).includes(paths.pgData(node)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function anyLabProcess(): boolean {
  return daemons.some((d) => daemonPid(d)) || PG_NODES.some((n) => postmasterPid(n.name));
}

// ---------------------------------------------------------------- configuration

function writeConfigs(): void {
  for (const dir of [paths.etcd, paths.pg, paths.redis, paths.haproxy, paths.keepalived, paths.secrets, paths.storePg]) rmSync(dir, { recursive: true, force: true });
  ensureDir(paths.root);
  chmodSync(paths.root, 0o755); // PostgreSQL runs as postgres and must traverse it
  ensureDir(paths.secrets, 0o700);
  writeFile(path.join(paths.secrets, "pg-password"), `${PG_AUTH.superuser.password}\n`, 0o600);

  ensureDir(paths.etcd);
  for (const n of PG_NODES) {
    ensureDir(path.join(paths.pg, n.name), 0o700);
    writeFile(path.join(paths.pg, `${n.name}.yml`), patroniYaml(n));
  }
  run("chown", ["-R", "postgres:postgres", paths.pg]);

  REDIS_NODES.forEach((n, i) => writeFile(path.join(paths.redis, `${n.name}.conf`), redisConf(n, i === 0 ? undefined : REDIS_NODES[0].port)));
  for (const s of SENTINELS) writeFile(path.join(paths.redis, `${s.name}.conf`), sentinelConf(s));

  writeFile(path.join(paths.haproxy, "haproxy.cfg"), haproxyCfg());

  // keepalived's script security wants root-owned scripts in folders only root can write.
  const bin = path.join(paths.keepalived, "bin");
  ensureDir(bin, 0o755);
  for (const script of ["keepalived-notify.sh", "keepalived-fifo.sh", "keepalived-heartbeat.sh"]) {
    copyFileSync(path.join(REPO, "scripts", script), path.join(bin, script));
    chmodSync(path.join(bin, script), 0o755);
  }
  writeFile(path.join(bin, "node-check.sh"), nodeCheckScript(), 0o755);
  for (const n of VRRP_NODES) {
    const dir = path.join(paths.keepalived, n.name);
    ensureDir(path.join(dir, "tmp"));
    writeFile(path.join(dir, "www", "name"), `${n.name}\n`);
    writeFile(path.join(dir, "www", "health"), "ok\n");
    writeFile(paths.drainFile(n.name), "0\n");
    writeFile(path.join(dir, "keepalived.conf"), keepalivedConf(n.name, bin));
  }
  writeDashboardConfig();
}

function writeDashboardConfig(): void {
  writeDemoUsers();
  writeFile(paths.config, labDashboardConfigYaml());
}

// ---------------------------------------------------------------- readiness

type Step = { what: string; check: () => Promise<boolean> | boolean };

const readiness: Step[] = [
  { what: "etcd healthy", check: async () => (await httpStatus(`http://${HOST}:${ETCD.client}/health`)) === 200 },
  {
    what: "keepalived: one MASTER per instance, VIP answers there",
    check: () =>
      VRRP_INSTANCES.every((vi) => {
        const masters = vrrpStates().filter((s) => s.instance === vi.name && s.state === "MASTER");
        return masters.length === 1 && vipHolder(vi.vip) === masters[0]?.node;
      }),
  },
  {
    what: "Patroni: leader + 2 streaming replicas, sync standby",
    check: async () => (await healthyPatroni()) !== undefined,
  },
  {
    what: "HAProxy pg_rw reaches the leader",
    check: async () => {
      const t = await haproxyRwTarget();
      return t !== undefined && !t.inRecovery;
    },
  },
  {
    what: "Redis replica linked, 3 Sentinels agree, quorum OK",
    check: async () => {
      const masters = Object.values(await sentinelMasters());
      if (masters.length !== 3 || !masters[0] || new Set(masters).size !== 1) return false;
      const masterPort = Number(masters[0].split(":")[1]);
      const replica = REDIS_NODES.find((n) => n.port !== masterPort);
      const info = replica ? await redisReplication(replica.port) : undefined;
      const q = await sentinelCkquorum(SENTINELS[0].port);
      return info?.master_link_status === "up" && (q ?? "").startsWith("OK 3");
    },
  },
  {
    what: "control-store PostgreSQL (tests) accepts connections",
    check: async () => (await pgQuery<{ one: number }>(STORE_PG.port, "select 1 as one").catch(() => []))[0]?.one === 1,
  },
  {
    what: "apps healthy (trading engines, OMS, risk), HAProxy trading backend UP",
    check: async () => {
      const codes = await Promise.all((["te1", "te2", "oms", "risk"] as const).map(appHealth));
      if (!codes.every((c) => c === 200)) return false;
      const rows = await haproxyStats();
      return (rows ?? []).filter((r) => r.pxname === "trading" && r.svname.startsWith("te") && r.status === "UP").length === 2;
    },
  },
];

async function waitReady(t0: number, timeoutMs: number): Promise<void> {
  const pending = new Set(readiness);
  const until = Date.now() + timeoutMs;
  while (pending.size > 0) {
    await Promise.all(
      [...pending].map(async (s) => {
        let ok = false;
        try {
          ok = await s.check();
        } catch {
          ok = false;
        }
        if (ok) {
          pending.delete(s);
          console.log(`  ready  ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s  ${s.what}`);
        }
      }),
    );
    if (pending.size === 0) break;
    if (Date.now() > until) {
      throw new Error(`lab not ready after ${timeoutMs / 1000} s: ${[...pending].map((s) => s.what).join("; ")}. Logs: ${paths.logs}`);
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------- verbs

const REQUIRED_BINARIES = ["etcd", "patroni", "redis-server", "redis-sentinel", "haproxy", "keepalived", "ip", "curl", "setpriv", "/usr/lib/postgresql/15/bin/postgres", "/usr/bin/python3"];

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
  // etcd first: Patroni's first loop needs the DCS.
  await startIfMissing(findDaemon("etcd"));
  await waitFor("etcd", async () => (await httpStatus(`http://${HOST}:${ETCD.client}/health`)) === 200, 20_000);
  for (const d of daemons) await startIfMissing(d);
  await waitReady(t0, opts.timeoutMs ?? 90_000);
  console.log(`lab: up in ${((Date.now() - t0) / 1000).toFixed(1)} s; dashboard config: ${paths.config}`);
  console.log(`lab: demo users (viewer, operator, approver, admin) and their passwords: ${DEMO_USERS_README}`);
}

async function startIfMissing(d: Daemon): Promise<boolean> {
  if (daemonPid(d)) return false;
  d.start();
  return true;
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
  // Unfreeze every node first: a frozen postmaster would hold up Patroni's shutdown.
  for (const n of PG_NODES) resumeTree(postmasterPid(n.name));
  await Promise.all([
    ...byGroup("app", "keepalived", "node-app", "haproxy", "sentinel", "redis", "store").map((d) => stop(d)),
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
  await stop(findDaemon("etcd"));
  // Anything of ours whose pid file was lost (a crashed CLI run): same treatment, found by its command line.
  await Promise.all(strayLabProcesses().map((p) => stopPid(p, 10_000)));
  deleteNetns();
  for (const dir of [paths.etcd, paths.pg, paths.redis, paths.haproxy, paths.keepalived, paths.storePg, paths.run]) rmSync(dir, { recursive: true, force: true });
  console.log(`lab: down in ${((Date.now() - t0) / 1000).toFixed(1)} s (logs kept in ${paths.logs})`);
}

function resumeTree(pid: number | undefined): void {
  if (!pid) return;
  for (const p of [pid, ...descendants(pid)]) signal(p, "SIGCONT");
}

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

// ---------------------------------------------------------------- status

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}

function procLabel(pid: number | undefined): string {
  if (!pid) return "not running";
  return procState(pid) === "T" ? `FROZEN (pid ${pid})` : `running (pid ${pid})`;
}

export async function status(): Promise<string> {
  const [cluster, masters, rw, stats, apps] = await Promise.all([
    patroniCluster(),
    sentinelMasters(),
    haproxyRwTarget(),
    haproxyStats(),
    Promise.all((Object.keys(APPS) as AppName[]).map(async (a) => [a, await appHealth(a)] as const)),
  ]);
  const out: string[] = [];
  out.push(`Lab state in ${paths.root}; namespaces: ${ourNetns().join(", ") || "none"}`);
  out.push("\nPatroni (labcluster)");
  out.push(
    table([
      ["member", "role", "state", "timeline", "lag", "process"],
      ...PG_NODES.map((n) => {
        const m = cluster?.members.find((x) => x.name === n.name);
        return [n.name, m?.role ?? "-", m?.state ?? "-", String(m?.timeline ?? "-"), String(m?.lag ?? (m ? 0 : "-")), procLabel(daemonPid(findDaemon(n.name)))];
      }),
    ]),
  );
  out.push(`HAProxy pg_rw (:${HAPROXY.rw}) reaches: ${rw ? `port ${rw.port}${rw.inRecovery ? " (IN RECOVERY!)" : " (primary)"}` : "nothing"}`);
  out.push("\nRedis Sentinel");
  out.push(table([["sentinel", "master", "process"], ...SENTINELS.map((s) => [s.name, masters[s.name] ?? "no answer", procLabel(daemonPid(findDaemon(s.name)))])]));
  out.push(table([["redis", "process"], ...REDIS_NODES.map((n) => [`${n.name} :${n.port}`, procLabel(daemonPid(findDaemon(n.name)))])]));
  out.push("\nVRRP (keepalived)");
  const vs = vrrpStates();
  out.push(
    table([
      ["instance", "node", "state", "priority", "keepalived", "VIP answers from"],
      ...vs.map((s) => {
        const vi = VRRP_INSTANCES.find((v) => v.name === s.instance);
        const drainFile = paths.drainFile(s.node);
        const drained = existsSync(drainFile) && readFileSync(drainFile, "utf8").trim() !== "0";
        return [s.instance, s.node, s.keepalivedAlive ? s.state : `DOWN (last: ${s.state})`, String(s.priority ?? "-"), `${procLabel(daemonPid(findDaemon(s.node)))}${drained ? " DRAINED" : ""}`, vi ? (vipHolder(vi.vip) ?? "-") : "-"];
      }),
    ]),
  );
  out.push("\nHAProxy backends");
  out.push(
    table([
      ["backend", "server", "status", "check"],
      ...(stats ?? []).filter((r) => !["FRONTEND", "BACKEND"].includes(r.svname) && r.pxname !== "stats").map((r) => [r.pxname, r.svname, r.status, r.check_status]),
    ]),
  );
  out.push("\nApplication services");
  out.push(
    table([
      ["service", "role", "/health", "process"],
      ...apps.map(([a, code]) => [a, APPS[a].role, code === undefined ? ("http" in APPS[a] ? "no answer" : "-") : String(code), procLabel(daemonPid(findDaemon(a)))]),
    ]),
  );
  const openPorts = await Promise.all([ETCD.client, ...PG_NODES.map((n) => n.pg)].map((p) => portOpen(p)));
  out.push(`\nports open: etcd ${openPorts[0] ? "yes" : "no"}, postgres ${openPorts.slice(1).filter(Boolean).length}/3`);
  return out.join("\n");
}

/** Processes whose command line names this lab's folder or its app services: ours by construction. */
function strayLabProcesses(): number[] {
  const out: number[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    const cl = cmdline(Number(e));
    if (cl.includes(paths.root + "/") || cl.includes(path.join(REPO, "e2e/lab/services/app.ts"))) out.push(Number(e));
  }
  return out.filter((p) => isAlive(p));
}

/** Everything a test needs to assert that `down` left nothing behind. */
export async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const d of daemons) if (daemonPid(d)) found.push(`process ${d.name}`);
  for (const p of strayLabProcesses()) found.push(`process ${p}: ${cmdline(p).slice(0, 120)}`);
  for (const n of PG_NODES) if (postmasterPid(n.name)) found.push(`postmaster ${n.name}`);
  for (const ns of ourNetns()) found.push(`netns ${ns}`);
  const ports = [ETCD.client, ETCD.peer, ...PG_NODES.flatMap((n) => [n.pg, n.rest]), ...REDIS_NODES.map((n) => n.port), ...SENTINELS.map((s) => s.port), HAPROXY.rw, HAPROXY.ro, HAPROXY.trading, HAPROXY.stats, STORE_PG.port, ...Object.values(APPS).flatMap((a) => [("http" in a ? a.http : 0), ("tcp" in a ? a.tcp : 0)]).filter(Boolean)];
  for (const p of ports) if (await portOpen(p)) found.push(`port ${p}`);
  return found;
}

export { NETNS };
