import type { Config } from "@/server/config/load";
import type { TargetSection } from "@/server/config/schema";
import type { MarketDataProbeTarget, PostgresTarget } from "@/server/collectors/types";

/**
 * A probe unit is the smallest thing scheduled on its own: one config target, except a Patroni
 * cluster, which is one `patroni` unit (the REST view) plus one `postgres` unit per node, so a
 * frozen node delays no other node.
 */
export type UnitKind = "patroni" | "postgres" | "sentinel" | "redis" | "marketdata" | "haproxy" | "vrrp" | "http" | "tcp";

export interface ProbeUnit {
  /** Stable and unique: `${kind}:${targetId}` or `${kind}:${targetId}/${node}`. */
  key: string;
  kind: UnitKind;
  section: TargetSection;
  targetId: string;
  node?: string;
  /** The SLA component it counts towards. */
  component: string;
  label: string;
  intervalMs: number;
  timeoutMs: number;
  /** Exactly what the kind's collector takes. Holds resolved secrets: never serialise a unit to a client. */
  target: unknown;
}

/** Every unit of a config, in config order. */
export function unitsFromConfig(config: Config): ProbeUnit[] {
  const d = config.defaults;
  const timing = (t: { intervalMs?: number; timeoutMs?: number }) => {
    const intervalMs = t.intervalMs ?? d.intervalMs;
    // A deadline never outlives the interval, so one unit never has two probes in flight.
    return { intervalMs, timeoutMs: Math.min(t.timeoutMs ?? d.timeoutMs, intervalMs) };
  };
  const units: ProbeUnit[] = [];
  const add = (section: TargetSection, kind: UnitKind, t: { id: string; name?: string; component: string; intervalMs?: number; timeoutMs?: number }, target: unknown, node?: string) =>
    units.push({
      key: node ? `${kind}:${t.id}/${node}` : `${kind}:${t.id}`,
      kind,
      section,
      targetId: t.id,
      node,
      component: t.component,
      label: node ? `${t.name ?? t.id} / ${node}` : (t.name ?? t.id),
      ...timing(t),
      target,
    });

  for (const c of config.clusters) {
    add("clusters", "patroni", c, c);
    for (const n of c.nodes) add("clusters", "postgres", c, { cluster: c, node: n } satisfies PostgresTarget, n.name);
  }
  for (const s of config.sentinels) add("sentinels", "sentinel", s, s);
  for (const r of config.redis) add("redis", "redis", r, r);
  for (const h of config.haproxy) add("haproxy", "haproxy", h, h);
  for (const v of config.vrrp) add("vrrp", "vrrp", v, v);
  for (const h of config.http) add("http", "http", h, h);
  for (const t of config.tcp) add("tcp", "tcp", t, t);
  for (const m of config.marketData) {
    const group = config.sentinels.find((s) => s.id === m.redis);
    const instance = config.redis.find((r) => r.id === m.redis);
    // The loader already refused a reference to nothing.
    const source: MarketDataProbeTarget["source"] = group ? { kind: "sentinel", group } : { kind: "redis", instance: instance! };
    add("marketData", "marketdata", m, { check: m, source } satisfies MarketDataProbeTarget);
  }
  return units;
}
