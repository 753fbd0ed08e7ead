import path from "node:path";
import { stringify } from "yaml";
import { demoAuthConfig } from "./demo-users";
import {
  ALERTMANAGER, APPS, HAPROXY, HAPROXY_STATS_AUTH, HOST, LATENCY_PROXY, PATRONI_REST_AUTH, PG_NODES, PG_SCOPE, REDIS_AUTH, REDIS_MASTER_NAME, REDIS_NODES,
  SENTINEL_AUTH, SENTINELS, etcdEndpoints,
  VIP_RELAY_PORTS, VRRP_DRAIN_WEIGHT, WEBHOOK_SECRET, WEBHOOK_SINK, VRRP_INSTANCES, VRRP_NODES, VRRP_PRIORITY, paths, pgDsn,
} from "./topology";

/** The dashboard config for the lab, written by `lab up` so the dashboard starts against it unedited. */
export function labDashboardConfig() {
  const pgPassword = { file: "secrets/pg-password" };
  const redisMonitorPassword = { file: "secrets/redis-monitor-password" };
  return {
    version: 1,
    title: "HA Control Room — lab",
    defaults: { intervalMs: 1000, timeoutMs: 800, rise: 2, fall: 3 },
    clusters: [
      {
        id: PG_SCOPE,
        name: "Trading database (Patroni)",
        component: "database",
        scope: PG_SCOPE,
        maxLagSeconds: 5,
        // Short cooldowns so tests and the benchmark can switch over again once the cluster has settled.
        actions: { cooldownSeconds: 5 },
        restUsername: PATRONI_REST_AUTH.username,
        restPassword: { file: "secrets/patroni-rest-password" },
        nodes: PG_NODES.map((n) => ({ name: n.name, rest: `http://${HOST}:${n.rest}`, dsn: pgDsn(n.pg), password: pgPassword })),
        dcs: { endpoints: etcdEndpoints() },
      },
    ],
    sentinels: [
      {
        id: REDIS_MASTER_NAME,
        name: "Cache (Redis Sentinel)",
        component: "cache",
        masterName: REDIS_MASTER_NAME,
        sentinels: SENTINELS.map((s) => `${HOST}:${s.port}`),
        sentinelUsername: SENTINEL_AUTH.dashboard.username,
        sentinelPassword: { file: "secrets/sentinel-password" },
        // The Redis nodes themselves (roles before and after a failover, the market-data key).
        username: REDIS_AUTH.monitor.username,
        password: redisMonitorPassword,
        actions: { cooldownSeconds: 15 },
      },
    ],
    redis: REDIS_NODES.map((r) => ({ id: r.name, component: "cache", url: `redis://${REDIS_AUTH.monitor.username}@${HOST}:${r.port}`, password: redisMonitorPassword, maxMemoryRatio: 0.9 })),
    haproxy: [{ id: "haproxy", name: "HAProxy", component: "load-balancer", statsUrl: `http://${HOST}:${HAPROXY.stats}/stats;csv`, username: HAPROXY_STATS_AUTH.username, password: { file: "secrets/haproxy-stats-password" } }],
    vrrp: VRRP_INSTANCES.map((vi) => ({
      id: vi.name.toLowerCase().replace("_", "-"),
      component: vi.component,
      instance: vi.name,
      virtualRouterId: vi.vrid,
      vips: [vi.vip],
      actions: { cooldownSeconds: 5 },
      // Who answers on the VIP: each node serves its name; the lab's VIP relay reaches the VIP from here.
      vipProbe: { url: `http://${HOST}:${VIP_RELAY_PORTS[vi.name]}/name`, timeoutMs: 500 },
      nodes: VRRP_NODES.map((n) => ({
        name: n.name,
        address: n.ip,
        priority: VRRP_PRIORITY[n.name],
        stateFile: paths.vrrpState(n.name, vi.name),
        // Touched every second by keepalived (scripts/keepalived-heartbeat.sh); the default location, spelt out.
        heartbeatFile: path.join(paths.keepalived, n.name, "heartbeat"),
        heartbeatMaxAgeMs: 3000,
        // The dashboard drains a node the way `lab drain` does: through keepalived's track_file.
        drainFile: paths.drainFile(n.name),
        drainWeight: VRRP_DRAIN_WEIGHT,
      })),
    })),
    http: [
      { id: "te1-health", name: "Trading engine 1 /health", component: "trading-engine", url: `http://${HOST}:${APPS.te1.http}/health` },
      { id: "te2-health", name: "Trading engine 2 /health", component: "trading-engine", url: `http://${HOST}:${APPS.te2.http}/health` },
      { id: "oms-health", name: "Order management /health", component: "order-management", url: `http://${HOST}:${APPS.oms.http}/health` },
      // Through the lab's latency proxy (0 ms unless `lab latency risk <ms>` says otherwise): a slow path on demand.
      { id: "risk-health", name: "Risk engine /health", component: "risk-engine", url: `http://${HOST}:${LATENCY_PROXY.port}/health` },
    ],
    tcp: [
      { id: "te1-tcp", name: "Trading engine 1 PING", component: "trading-engine", address: `${HOST}:${APPS.te1.tcp}` },
      { id: "te2-tcp", name: "Trading engine 2 PING", component: "trading-engine", address: `${HOST}:${APPS.te2.tcp}` },
      { id: "trading-frontend", name: "HAProxy trading frontend", component: "load-balancer", address: `${HOST}:${HAPROXY.trading}` },
    ],
    marketData: [
      { id: "market-data", name: "Market data freshness", component: "market-data-gateway", redis: REDIS_MASTER_NAME, key: "last_market_update", maxAgeSeconds: 5 },
    ],
    // Demo users, one per role; passwords in .lab/demo-users/ (see .lab/DEMO-USERS.md).
    auth: demoAuthConfig(),
    alerting: labAlerting(),
  };
}

/**
 * Every alert goes to the lab's Alertmanager and, signed, straight to the webhook sink (`direct`); an
 * approval request also goes to the approvers' hook. Short waits and retries so tests see the outcome
 * in seconds: Alertmanager gets each alert re-sent every 2 s (endsAt 8 s ahead), so a dashboard that
 * stops is gone from it within seconds.
 */
function labAlerting() {
  const retries = { timeoutMs: 2000, maxAttempts: 8, initialBackoffMs: 200, maxBackoffMs: 2000 };
  const secrets = [{ file: `secrets/${WEBHOOK_SECRET.file}` }];
  const hook = (p: string) => `${WEBHOOK_SINK.url}${p}`;
  return {
    // Links in notifications lead to the demo dashboard (DEMO-USERS.md), whatever port sent them.
    externalURL: "http://localhost:3000",
    receivers: [
      { name: "am", type: "alertmanager", url: ALERTMANAGER.url, resendIntervalMs: 2000, ...retries },
      { name: "direct", type: "webhook", url: hook(WEBHOOK_SINK.paths.direct), secrets, ...retries },
      { name: "approvers", type: "webhook", url: hook(WEBHOOK_SINK.paths.approvers), secrets, ...retries },
    ],
    route: {
      receiver: "am",
      groupWaitMs: 0,
      groupIntervalMs: 1000,
      repeatIntervalMs: 4 * 3_600_000,
      routes: [
        { receiver: "approvers", match: { alertname: "ActionAwaitingApproval" }, continue: true },
        { receiver: "am", match: {}, continue: true },
        { receiver: "direct", match: {} },
      ],
    },
  };
}

export function labDashboardConfigYaml(): string {
  return `# Written by \`npm run lab -- up\`; regenerated on every run. Point HA_CONFIG at it.\n${stringify(labDashboardConfig())}`;
}
