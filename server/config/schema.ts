import { z } from "zod";
import { TargetActions, VrrpNodeDrain } from "./actions";
import { DEFAULT_SLA_SETTINGS, SlaSettings } from "../sla/config";

/**
 * The topology file (`ha.config.yaml`): what the dashboard watches.
 * Every object is strict, so a misspelt key is an error rather than a silently ignored setting.
 */

const Id = z
  .string({ error: "expected an id (letters, digits, '-', '_' or '.')" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    error: "expected an id of letters, digits, '-', '_' or '.', starting with a letter or digit",
  });

const HttpUrl = z.url({
  protocol: /^https?$/,
  error: "expected a URL such as http://10.0.1.40:8008",
});

const HostPort = z
  .string({ error: "expected host:port" })
  // abort: the port check below only makes sense once the shape matched.
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: "expected host:port such as 10.0.1.50:26379", abort: true })
  .refine((s) => Number(s.slice(s.lastIndexOf(":") + 1)) <= 65535, { error: "port must be at most 65535" });

const Percent = z
  .number({ error: "expected a percentage such as 99.99" })
  .gt(0, { error: "expected a percentage above 0" })
  .lt(100, { error: "expected a percentage below 100 (100% allows no downtime at all)" });

/** A secret is never written inline: it names an environment variable or a file (relative to the config file). */
export const SecretRef = z.union(
  [
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name" }) }),
    z.strictObject({ file: z.string().min(1, { error: "expected a file path" }) }),
  ],
  { error: "expected a secret reference: { env: VAR_NAME } or { file: path/to/file }" },
);
export type SecretRef = z.infer<typeof SecretRef>;

/** A connection string given inline may not carry a password; the password comes from a SecretRef. */
const InlineUrlWithoutPassword = (example: string) =>
  z
    .string({ error: `expected a connection URL such as ${example}` })
    .refine((s) => URL.canParse(s), { error: `expected a connection URL such as ${example}` })
    .refine((s) => !URL.canParse(s) || new URL(s).password === "", {
      error: "a password is written inline; move it to `password: { env: VAR }` or `{ file: path }`",
    });

const Probe = z.strictObject({
  intervalMs: z.number().int().min(100, { error: "expected at least 100 ms" }).max(3_600_000).optional(),
  timeoutMs: z.number().int().min(50, { error: "expected at least 50 ms" }).max(60_000).optional(),
});

const Base = {
  id: Id,
  name: z.string().min(1).optional(),
  /** The SLA component this target counts towards (see `components`). */
  component: Id,
  ...Probe.shape,
};

export const PatroniNode = z.strictObject({
  name: z.string().min(1, { error: "expected the Patroni member name" }),
  rest: HttpUrl,
  dsn: InlineUrlWithoutPassword("postgres://monitor@10.0.1.40:5432/postgres"),
  password: SecretRef.optional(),
});

export const PatroniCluster = z.strictObject({
  ...Base,
  scope: z.string().min(1).optional(),
  nodes: z.array(PatroniNode).min(1, { error: "a cluster needs at least one node" }),
  /** Standby replay lag (seconds) above which the standby is DEGRADED; the seed uses 5. */
  maxLagSeconds: z.number().positive().optional(),
  /** Guarded switchover/failover settings (server/config/actions.ts). */
  actions: TargetActions.optional(),
});

export const SentinelGroup = z.strictObject({
  ...Base,
  masterName: z.string().min(1, { error: "expected the name Sentinel monitors, e.g. mymaster" }),
  sentinels: z.array(HostPort).min(1, { error: "list at least one sentinel as host:port" }),
  password: SecretRef.optional(),
  sentinelPassword: SecretRef.optional(),
  actions: TargetActions.optional(),
});

export const RedisInstance = z.strictObject({
  ...Base,
  url: InlineUrlWithoutPassword("redis://10.0.1.50:6379"),
  password: SecretRef.optional(),
  /** Share of maxmemory above which the instance is DEGRADED; the seed uses 0.9. */
  maxMemoryRatio: z.number().gt(0).lte(1).optional(),
});

export const HaproxyEndpoint = z
  .strictObject({
    ...Base,
    /** The stats page in CSV form, e.g. http://10.0.1.60:8404/stats;csv */
    statsUrl: HttpUrl.optional(),
    /** Or the admin socket path (on the dashboard host). */
    statsSocket: z.string().min(1).optional(),
    username: z.string().optional(),
    password: SecretRef.optional(),
  })
  .refine((h) => h.statsUrl !== undefined || h.statsSocket !== undefined, {
    error: "give statsUrl (the CSV stats page) or statsSocket (the admin socket path)",
  });

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
  ...VrrpNodeDrain,
});

export const VrrpInstance = z.strictObject({
  ...Base,
  /** keepalived's vrrp_instance name, e.g. VI_TRADING */
  instance: z.string().min(1),
  virtualRouterId: z.number().int().min(1).max(255, { error: "virtual_router_id is 1..255" }),
  vips: z.array(z.string().min(1)).min(1, { error: "list at least one virtual IP" }),
  nodes: z.array(VrrpNode).min(2, { error: "a VRRP instance needs at least two nodes" }),
  actions: TargetActions.optional(),
});

export const HttpCheck = z.strictObject({
  ...Base,
  url: HttpUrl,
  expectStatus: z.number().int().min(100).max(599).default(200),
});

export const TcpCheck = z.strictObject({
  ...Base,
  address: HostPort,
  /** Sent after connecting; the seed's HAProxy tcp-check sends "PING\r\n" and expects "PONG". */
  send: z.string().default("PING\r\n"),
  expect: z.string().min(1).default("PONG"),
});

export const MarketDataCheck = z.strictObject({
  ...Base,
  /** The id of a `sentinels` group or a `redis` instance holding the key. */
  redis: Id,
  key: z.string().min(1).default("last_market_update"),
  maxAgeSeconds: z.number().positive().default(5),
});

export const Layer = z.enum(["application", "data", "network"]);

export const Component = z.strictObject({
  id: Id,
  name: z.string().min(1),
  layer: Layer,
  /** Availability target in percent, e.g. 99.995 */
  sla: Percent,
  /** How the component is made redundant (informational, used by SLA composition later). */
  architecture: z.string().optional(),
});
export type Component = z.infer<typeof Component>;

/** The seed document's SLA table (section 1.2). Used when the file lists no components. */
export const SEED_COMPONENTS: Component[] = [
  { id: "trading-engine", name: "Trading Engine", layer: "application", sla: 99.995, architecture: "active-active" },
  { id: "order-management", name: "Order Management", layer: "application", sla: 99.99, architecture: "active-passive" },
  { id: "risk-engine", name: "Risk Engine", layer: "application", sla: 99.99, architecture: "active-passive" },
  { id: "market-data-gateway", name: "Market Data Gateway", layer: "application", sla: 99.999, architecture: "active-active" },
  { id: "database", name: "Database (Primary)", layer: "data", sla: 99.99, architecture: "primary+sync" },
  { id: "cache", name: "Cache Layer", layer: "data", sla: 99.99, architecture: "sentinel" },
  { id: "load-balancer", name: "Load Balancer", layer: "network", sla: 99.995, architecture: "vrrp-pair" },
  { id: "network", name: "Network", layer: "network", sla: 99.999, architecture: "redundant" },
];
export { SEED_SYSTEM_SLA } from "../sla/config";

export const Defaults = z.strictObject({
  intervalMs: z.number().int().min(100).max(3_600_000).default(1000),
  timeoutMs: z.number().int().min(50).max(60_000).default(800),
  /** Consecutive good probes before a component is judged up again (the seed's keepalived/HAProxy `rise 2`). */
  rise: z.number().int().min(1).max(100).default(2),
  /** Consecutive bad probes before a component is judged down (the seed's `fall 3`). */
  fall: z.number().int().min(1).max(100).default(3),
});

/** Origins such as https://noc.example.com (scheme, host and port only). */
const Origin = z
  .string({ error: "expected an origin such as https://noc.example.com" })
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol) && new URL(s).origin === s.replace(/\/$/, ""), {
    error: "expected an origin such as https://noc.example.com (no path)",
  });

/** An account the dashboard creates (or brings back to this role and password) at start; for the lab and demos. */
export const SeedUser = z.strictObject({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, { error: "expected a lower-case user name of 3-32 letters, digits, '.', '_' or '-'" }),
  name: z.string().min(1).max(100).optional(),
  role: z.enum(["viewer", "operator", "approver", "admin"], { error: "expected one of viewer, operator, approver, admin" }),
  password: SecretRef,
});

/** `auth:` people and sessions. Every key is optional; the defaults are the issue's. */
export const AuthSettings = z
  .strictObject({
    /** A session unused this long ends. */
    idleTimeoutMinutes: z.number().int().min(1).max(7 * 24 * 60).default(30),
    /** A session ends this long after sign-in, however active. */
    absoluteTimeoutHours: z.number().positive().max(30 * 24).default(12),
    /**
     * The address people open, e.g. https://noc.example.com. Unset: taken from each request's Host.
     * An https:// URL makes the session cookie Secure (and __Secure- prefixed).
     */
    baseURL: Origin.optional(),
    /** Other origins whose pages may call mutations (besides the dashboard's own). */
    trustedOrigins: z.array(Origin).default([]),
    /** Key that signs session cookies. Unset: one is generated and kept in the control store, shared by every instance. */
    secret: SecretRef.optional(),
    /** Sign-in failures allowed per account and per client address within the window, before sign-in is refused. */
    loginRateLimit: z
      .strictObject({
        windowSeconds: z.number().int().min(10).max(86_400).default(300),
        maxFailuresPerAccount: z.number().int().min(1).max(1000).default(5),
        maxFailuresPerAddress: z.number().int().min(1).max(100_000).default(50),
      })
      .default({ windowSeconds: 300, maxFailuresPerAccount: 5, maxFailuresPerAddress: 50 }),
    /** Accounts kept as listed (role and password) on every start; the lab's demo users. Production uses `npm run admin`. */
    users: z.array(SeedUser).default([]),
  })
  .refine((a) => a.idleTimeoutMinutes <= a.absoluteTimeoutHours * 60, {
    error: "idleTimeoutMinutes must not exceed absoluteTimeoutHours",
    path: ["idleTimeoutMinutes"],
  })
  .refine((a) => new Set(a.users.map((u) => u.username)).size === a.users.length, { error: "a username is listed twice", path: ["users"] });
export type AuthSettings = z.infer<typeof AuthSettings>;
export const DEFAULT_AUTH_SETTINGS = {
  idleTimeoutMinutes: 30,
  absoluteTimeoutHours: 12,
  trustedOrigins: [],
  loginRateLimit: { windowSeconds: 300, maxFailuresPerAccount: 5, maxFailuresPerAddress: 50 },
  users: [],
} satisfies z.input<typeof AuthSettings>;

export const HaConfig = z.strictObject({
  version: z.literal(1, { error: "expected `version: 1`" }),
  title: z.string().default("HA Control Room"),
  defaults: Defaults.default({ intervalMs: 1000, timeoutMs: 800, rise: 2, fall: 3 }),
  sla: SlaSettings.default(DEFAULT_SLA_SETTINGS),
  components: z.array(Component).default(SEED_COMPONENTS),
  clusters: z.array(PatroniCluster).default([]),
  sentinels: z.array(SentinelGroup).default([]),
  redis: z.array(RedisInstance).default([]),
  haproxy: z.array(HaproxyEndpoint).default([]),
  vrrp: z.array(VrrpInstance).default([]),
  http: z.array(HttpCheck).default([]),
  tcp: z.array(TcpCheck).default([]),
  marketData: z.array(MarketDataCheck).default([]),
  auth: AuthSettings.default(DEFAULT_AUTH_SETTINGS),
});
export type HaConfig = z.infer<typeof HaConfig>;
export type PatroniCluster = z.infer<typeof PatroniCluster>;
export type SentinelGroup = z.infer<typeof SentinelGroup>;
export type RedisInstance = z.infer<typeof RedisInstance>;
export type HaproxyEndpoint = z.infer<typeof HaproxyEndpoint>;
export type VrrpInstance = z.infer<typeof VrrpInstance>;
export type HttpCheck = z.infer<typeof HttpCheck>;
export type TcpCheck = z.infer<typeof TcpCheck>;
export type MarketDataCheck = z.infer<typeof MarketDataCheck>;

/** The sections that hold monitored targets, in the order the UI lists them. */
export const TARGET_SECTIONS = ["clusters", "sentinels", "redis", "haproxy", "vrrp", "http", "tcp", "marketData"] as const;
export type TargetSection = (typeof TARGET_SECTIONS)[number];
