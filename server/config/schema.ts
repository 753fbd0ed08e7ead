import { z } from "zod";
import { sectionSchemas } from "@/server/collectors/registry";
import { AlertingSettings } from "./alerting";
import { Defaults, Id, SecretRef } from "./fields";
import { DEFAULT_WALL_SETTINGS, MetricsSettings, Origin, WallSettings } from "./http";
import { LocalAccounts, OidcSettings } from "./oidc";
import { DEFAULT_SLA_SETTINGS, SlaSettings } from "../sla/config";
import { parseCidr } from "../auth/client-address";

export { Defaults, SecretRef } from "./fields";
export { TARGET_SECTIONS, type TargetSection } from "@/server/collectors/registry";

/**
 * The topology file (`ha.config.yaml`): what the dashboard watches.
 * Every object is strict, so a misspelt key is an error rather than a silently ignored setting.
 */

const Percent = z
  .number({ error: "expected a percentage such as 99.99" })
  .gt(0, { error: "expected a percentage above 0" })
  .lt(100, { error: "expected a percentage below 100 (100% allows no downtime at all)" });

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

/** The seed's SLA table (the DR document this product's defaults come from). Used when the file lists no components. */
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

/** A proxy's address or range, e.g. 10.0.0.5, 10.0.0.0/24 or fd00::/64. */
const Cidr = z.string({ error: "expected a CIDR such as 10.0.0.0/24 or fd00::/64" }).superRefine((s, ctx) => {
  const p = parseCidr(s);
  if (typeof p === "string") ctx.addIssue({ code: "custom", message: `${p}; expected a CIDR such as 10.0.0.0/24 or fd00::/64` });
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
    /**
     * Reverse proxies (CIDRs) in front of the dashboard. Only a request whose TCP peer is one of them
     * has its X-Forwarded-For, X-Real-IP and X-Forwarded-Proto believed; every other request's address
     * is its socket's. Empty (the default): no forwarded header is believed.
     */
    trustedProxies: z.array(Cidr).default([]),
    /**
     * An account without a local password (single sign-on) approves by a fresh sign-in instead of
     * re-entering a password: the session must have begun within this many minutes.
     */
    reauthWindowMinutes: z.number().int().min(1).max(60).default(5),
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
    /** Single sign-on through an OpenID provider (./oidc.ts). Unset: passwords only. */
    oidc: OidcSettings.optional(),
    /** Who may sign in with a password: `all`, or only these break-glass accounts (when SSO is the normal way in). */
    localAccounts: LocalAccounts.default("all"),
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
  trustedProxies: [],
  reauthWindowMinutes: 5,
  loginRateLimit: { windowSeconds: 300, maxFailuresPerAccount: 5, maxFailuresPerAddress: 50 },
  users: [],
  localAccounts: "all",
} satisfies z.input<typeof AuthSettings>;

export const HaConfig = z.strictObject({
  version: z.literal(1, { error: "expected `version: 1`" }),
  title: z.string().default("HA Control Room"),
  defaults: Defaults.default({ intervalMs: 1000, timeoutMs: 800, rise: 2, fall: 3 }),
  sla: SlaSettings.default(DEFAULT_SLA_SETTINGS),
  components: z.array(Component).default(SEED_COMPONENTS),
  /** clusters, sentinels, redis, ...: one section per collector, its schema in server/collectors/<kind>.ts. */
  ...sectionSchemas(),
  auth: AuthSettings.default(DEFAULT_AUTH_SETTINGS),
  wall: WallSettings.default(DEFAULT_WALL_SETTINGS),
  /** Unset: as `metrics: {}` (a loopback scraper needs no token). */
  metrics: MetricsSettings.default({}),
  /** Unset: nobody is notified (the wall and /api/metrics still show everything). */
  alerting: AlertingSettings.optional(),
});
export type HaConfig = z.infer<typeof HaConfig>;
