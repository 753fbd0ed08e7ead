/** The lab's daemons: how each starts, how to find its live PID, and the process trees behind them. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { APPS, ETCD_MEMBERS, HOST, NETNS, NODE_HTTP_PORT, PG_NODES, REDIS_NODES, SENTINELS, STORE_PG, VIP_RELAY_PORTS, VRRP_INSTANCES, VRRP_NODES, paths, type AppName } from "./topology";
import { ensureDir, existsSync, isAlive, readPid, run, signal, startDaemon } from "./proc";
import { alertmanagerArgs, etcdArgs } from "./service-configs";

export const REPO = path.resolve(import.meta.dirname, "../..");

/** One lab daemon: how to start it and how to recognise its process (guards against a recycled PID). */
export interface Daemon {
  name: string;
  group: "etcd" | "patroni" | "redis" | "sentinel" | "haproxy" | "keepalived" | "node-app" | "app" | "store" | "oidc" | "relay" | "alerting";
  /** A string that appears in the process's /proc/PID/cmdline. */
  token: string;
  start(): void;
  /** Signal the whole process group (keepalived forks a VRRP child and runs scripts). */
  groupSignals?: boolean;
  /** How to ask it to stop (PostgreSQL: SIGINT is the fast shutdown; SIGTERM waits for clients). */
  stopSignal?: NodeJS.Signals;
}

export const daemons: Daemon[] = [
  ...ETCD_MEMBERS.map<Daemon>((m) => ({
    name: m.name,
    group: "etcd",
    token: path.join(paths.etcd, m.name),
    start: () => void startDaemon({ name: m.name, cmd: "etcd", args: etcdArgs(m) }),
  })),
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
    // Who answers on each VIP, for the dashboard in the root namespace (its vipProbe points here).
    name: "vip-relay",
    group: "relay",
    token: "e2e/lab/services/vip-relay.py",
    start: () =>
      void startDaemon({
        name: "vip-relay",
        cmd: "/usr/bin/python3",
        args: [
          path.join(REPO, "e2e/lab/services/vip-relay.py"),
          `/run/netns/${NETNS.bridge}`,
          ...VRRP_INSTANCES.map((vi) => `${VIP_RELAY_PORTS[vi.name]}=${vi.vip}:${NODE_HTTP_PORT}`),
        ],
      }),
  },
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
  {
    name: "oidc",
    group: "oidc",
    token: "e2e/lab/services/oidc.ts",
    start: () =>
      void startDaemon({
        name: "oidc",
        cmd: process.execPath,
        args: ["--import", "tsx", path.join(REPO, "e2e/lab/services/oidc.ts")],
        cwd: REPO,
        env: { ...process.env, LAB_DIR: paths.root },
      }),
  },
];

// The slow path in front of the risk engine (see LATENCY_PROXY): started and stopped with the apps.
daemons.push({
  name: "latency-proxy",
  group: "app",
  token: "e2e/lab/services/latency-proxy.ts",
  start: () =>
    void startDaemon({
      name: "latency-proxy",
      cmd: process.execPath,
      args: ["--import", "tsx", path.join(REPO, "e2e/lab/services/latency-proxy.ts")],
      cwd: REPO,
      env: { ...process.env, LAB_DIR: paths.root },
    }),
});

// Where the dashboard's alerts go: a real Alertmanager and the webhook receiver behind it and the direct webhooks.
daemons.push(
  {
    name: "alertmanager",
    group: "alerting",
    token: paths.alertmanagerConfig,
    start: () => void startDaemon({ name: "alertmanager", cmd: "/usr/bin/prometheus-alertmanager", args: alertmanagerArgs() }),
  },
  {
    name: "webhook-sink",
    group: "alerting",
    token: "e2e/lab/services/webhook-sink.ts",
    start: () =>
      void startDaemon({
        name: "webhook-sink",
        cmd: process.execPath,
        args: ["--import", "tsx", path.join(REPO, "e2e/lab/services/webhook-sink.ts")],
        cwd: REPO,
        env: { ...process.env, LAB_DIR: paths.root },
      }),
  },
);

export const DAEMON_NAMES = daemons.map((d) => d.name);

/** Every daemon's live PID (undefined when not running). */
export function daemonPids(): Record<string, number | undefined> {
  return Object.fromEntries(daemons.map((d) => [d.name, daemonPid(d)]));
}


export function cmdline(pid: number): string {
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

/** The daemons of a group (`etcd` names every member of the cluster at once). */
export function groupDaemons(group: Daemon["group"]): Daemon[] {
  return daemons.filter((d) => d.group === group);
}

export function findDaemon(name: string): Daemon {
  const d = daemons.find((x) => x.name === name);
  if (!d) throw new Error(`unknown component "${name}"`);
  return d;
}


/** PIDs of all descendants, from /proc (a PostgreSQL node is a postmaster plus its backends). */
export function descendants(pid: number): number[] {
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

export async function startIfMissing(d: Daemon): Promise<boolean> {
  if (daemonPid(d)) return false;
  d.start();
  return true;
}


/** SIGCONT a process and all its descendants (a frozen postmaster holds up its node). */
export function resumeTree(pid: number | undefined): void {
  if (!pid) return;
  for (const p of [pid, ...descendants(pid)]) signal(p, "SIGCONT");
}
