import { randomBytes } from "node:crypto";
import path from "node:path";

/**
 * The lab's fixed layout: every port, name and address in one place, shared by the lab driver,
 * the generated dashboard config and the tests. Everything listens on 127.0.0.1, except keepalived,
 * which runs in network namespaces the lab creates (10.77.0.0/24 exists only inside them).
 */

export const LAB_DIR = path.resolve(process.env.LAB_DIR ?? path.join(process.cwd(), ".lab"));
export const HOST = "127.0.0.1";

/** A three-member etcd cluster, Patroni's DCS: one member down keeps quorum, two down lose it. */
export const ETCD_MEMBERS = [
  { name: "etcd1", client: 2479, peer: 2480 },
  { name: "etcd2", client: 2481, peer: 2482 },
  { name: "etcd3", client: 2483, peer: 2484 },
] as const;
export type EtcdMemberName = (typeof ETCD_MEMBERS)[number]["name"];
/** The first member (the lab's single etcd before it became a cluster). */
export const ETCD = ETCD_MEMBERS[0];
export const etcdEndpoints = (): string[] => ETCD_MEMBERS.map((m) => `http://${HOST}:${m.client}`);

export const PG_SCOPE = "labcluster";
export const PG_NODES = [
  { name: "pg1", pg: 5441, rest: 8011 },
  { name: "pg2", pg: 5442, rest: 8012 },
  { name: "pg3", pg: 5443, rest: 8013 },
] as const;
export type PgNodeName = (typeof PG_NODES)[number]["name"];

/** Demo credentials of a throwaway lab; the dashboard reads them from files under .lab/secrets. */
export const PG_AUTH = {
  superuser: { username: "postgres", password: "lab-postgres-pw" },
  replication: { username: "replicator", password: "lab-repl-pw" },
  rewind: { username: "rewind_user", password: "lab-rewind-pw" },
} as const;

/**
 * Patroni's REST API: basic auth (`restapi.authentication`), which Patroni demands on its unsafe
 * endpoints (POST /switchover, /failover, /restart, PATCH /config); GETs stay open, as HAProxy's
 * /primary and /replica checks need.
 */
export const PATRONI_REST_AUTH = { username: "hacr-patroni", password: "lab-patroni-rest-pw" } as const;

/**
 * Redis ACL users on both data nodes. `default` is the administrator (the lab's own tools and the
 * stand-in services); the dashboard reads with `hacr-monitor`, which may not write or reconfigure;
 * replication and Sentinel each have their own user with only the commands they need.
 */
export const REDIS_AUTH = {
  admin: { username: "default", password: "lab-redis-admin-pw" },
  monitor: { username: "hacr-monitor", password: "lab-redis-monitor-pw" },
  replica: { username: "hacr-replica", password: "lab-redis-replica-pw" },
  sentinel: { username: "hacr-sentinel", password: "lab-redis-sentinel-pw" },
} as const;

/**
 * The Sentinels: `requirepass` (the default user, also what Sentinels use with each other through
 * `sentinel sentinel-pass`), and an ACL user for the dashboard, which reads and may start a failover.
 */
export const SENTINEL_AUTH = {
  admin: { username: "default", password: "lab-sentinel-pw" },
  dashboard: { username: "hacr-dashboard", password: "lab-sentinel-dashboard-pw" },
} as const;

/** HAProxy's stats page behind `stats auth` (the admin socket stays a local unix socket, mode 600). */
export const HAPROXY_STATS_AUTH = { username: "hacr-stats", password: "lab-haproxy-stats-pw" } as const;

/** The Authorization header for `{ username, password }` (the lab's own oracles and scripts). */
export const basicAuth = (c: { username: string; password: string }) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;

/** Every secret file the lab writes under .lab/secrets (mode 0600) and the dashboard config references. */
export const SECRET_FILES = {
  "pg-password": PG_AUTH.superuser.password,
  "patroni-rest-password": PATRONI_REST_AUTH.password,
  "redis-monitor-password": REDIS_AUTH.monitor.password,
  "sentinel-password": SENTINEL_AUTH.dashboard.password,
  "haproxy-stats-password": HAPROXY_STATS_AUTH.password,
} as const;

/**
 * The dashboard's direct webhooks are signed with this Standard Webhooks secret (`whsec_` + base64 of 32
 * random bytes), written fresh by every clean `lab up` to .lab/secrets/<file>; the tests verify with it.
 */
export const WEBHOOK_SECRET = { file: "webhook-secret", make: () => `whsec_${randomBytes(32).toString("base64")}` } as const;

/** A plain PostgreSQL 15 (no Patroni) for the dashboard's own control store in tests; never monitored. */
export const STORE_PG = { port: 5499, url: "postgres://postgres@127.0.0.1:5499/postgres" } as const;

export const HAPROXY = { rw: 5440, ro: 5439, trading: 5555, stats: 7000 } as const;

export const REDIS_MASTER_NAME = "labredis";
export const REDIS_NODES = [
  { name: "redis1", port: 6391 },
  { name: "redis2", port: 6392 },
] as const;
export const SENTINELS = [
  { name: "sentinel1", port: 26391 },
  { name: "sentinel2", port: 26392 },
  { name: "sentinel3", port: 26393 },
] as const;

export const APPS = {
  te1: { role: "trading-engine", http: 18081, tcp: 15551 },
  te2: { role: "trading-engine", http: 18082, tcp: 15552 },
  oms: { role: "order-management", http: 18083 },
  risk: { role: "risk-engine", http: 18084 },
  feeder: { role: "market-data-feeder" },
} as const;
export type AppName = keyof typeof APPS;

/** The lab's OpenID provider (e2e/lab/services/oidc.ts): single sign-on for the dashboard. */
export const OIDC = { port: 18090 } as const;

/**
 * A real Prometheus Alertmanager (Debian's prometheus-alertmanager), cluster gossip off, routing every
 * alert at once to the webhook sink's `/am`: its API (GET /api/v2/alerts) is the oracle of what the
 * dashboard sent it.
 */
export const ALERTMANAGER = { port: 18093, url: `http://${HOST}:18093` } as const;
/**
 * The webhook sink (e2e/lab/services/webhook-sink.ts): records every request to a JSONL file and serves
 * them back; told per path which codes to answer or to be down. Receivers post to these paths.
 */
export const WEBHOOK_SINK = { port: 18095, url: `http://${HOST}:18095`, paths: { alertmanager: "/am", direct: "/direct", approvers: "/approvers" } } as const;

/** Namespaces are prefixed so they never collide with anything else on the machine. */
export const NETNS = { bridge: "hacr-br", ka1: "hacr-ka1", ka2: "hacr-ka2" } as const;
export const VRRP_SUBNET = "10.77.0";
export const VRRP_NODES = [
  { name: "ka1", netns: NETNS.ka1, ip: `${VRRP_SUBNET}.1`, veth: "ka1-br" },
  { name: "ka2", netns: NETNS.ka2, ip: `${VRRP_SUBNET}.2`, veth: "ka2-br" },
] as const;
export type VrrpNodeName = (typeof VRRP_NODES)[number]["name"];
export const BRIDGE_IP = `${VRRP_SUBNET}.254`;
/** Priorities: 100 on the primary node, 50 on the standby. */
export const VRRP_INSTANCES = [
  { name: "VI_TRADING", vrid: 51, vip: `${VRRP_SUBNET}.100`, component: "load-balancer" },
  { name: "VI_DATABASE", vrid: 52, vip: `${VRRP_SUBNET}.101`, component: "network" },
] as const;
export const VRRP_PRIORITY: Record<VrrpNodeName, number> = { ka1: 100, ka2: 50 };
/**
 * A check `weight -20` never moves the VIP with priorities 100/50 (100-20 = 80 > 50).
 * The lab uses -60 so a failed health check really hands the VIP over.
 */
export const VRRP_CHECK_WEIGHT = -60;
/** Writing this to a node's drain file lowers its priority below the peer's: the VIP moves, keepalived keeps running. */
export const VRRP_DRAIN_WEIGHT = 60;
/** Each node's namespace serves its name on this port; the VIP answers with the holder's name. */
export const NODE_HTTP_PORT = 8080;
/**
 * The dashboard (root namespace) cannot reach 10.77.0.x: the VIP relay (e2e/lab/services/vip-relay.py)
 * listens here, one port per VIP, and forwards into the bridge namespace to VIP:NODE_HTTP_PORT.
 */
export const VIP_RELAY_PORTS: Record<(typeof VRRP_INSTANCES)[number]["name"], number> = { VI_TRADING: 18170, VI_DATABASE: 18171 };

export const paths = {
  root: LAB_DIR,
  run: path.join(LAB_DIR, "run"),
  logs: path.join(LAB_DIR, "logs"),
  secrets: path.join(LAB_DIR, "secrets"),
  config: path.join(LAB_DIR, "ha.config.yaml"),
  etcd: path.join(LAB_DIR, "etcd"),
  pg: path.join(LAB_DIR, "pg"),
  redis: path.join(LAB_DIR, "redis"),
  haproxy: path.join(LAB_DIR, "haproxy"),
  keepalived: path.join(LAB_DIR, "keepalived"),
  apps: path.join(LAB_DIR, "apps"),
  pidFile: (name: string) => path.join(LAB_DIR, "run", `${name}.pid`),
  log: (name: string) => path.join(LAB_DIR, "logs", `${name}.log`),
  vrrpState: (node: string, instance: string) => path.join(LAB_DIR, "keepalived", node, `state-${instance}.json`),
  drainFile: (node: string) => path.join(LAB_DIR, "keepalived", node, "drain"),
  pgData: (node: string) => path.join(LAB_DIR, "pg", node, "data"),
  storePg: path.join(LAB_DIR, "store-pg"),
  haproxySocket: path.join(LAB_DIR, "haproxy", "admin.sock"),
  alerting: path.join(LAB_DIR, "alerting"),
  alertmanagerConfig: path.join(LAB_DIR, "alerting", "alertmanager.yml"),
  alertmanagerData: path.join(LAB_DIR, "alerting", "alertmanager-data"),
  webhookSinkRecords: path.join(LAB_DIR, "alerting", "webhook-sink.jsonl"),
};

export const pgDsn = (port: number, db = "postgres") => `postgres://${PG_AUTH.superuser.username}@${HOST}:${port}/${db}`;

/**
 * A TCP proxy (e2e/lab/services/latency-proxy.ts) in front of the risk engine's HTTP port: the dashboard
 * reaches risk-health through it, so `lab latency risk <ms>` slows that one path at run time. The delay,
 * in ms, is read from `controlFile` for every chunk (missing or 0: none); it lives in .lab/run, which `down` removes.
 */
export const LATENCY_PROXY = { port: 18184, target: APPS.risk.http, controlFile: path.join(LAB_DIR, "run", "latency-risk.ms") } as const;
