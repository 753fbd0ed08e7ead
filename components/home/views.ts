import type { ComponentHealth } from "@/lib/health";
import type { UnitSnapshot } from "@/lib/snapshot";
import type { Status } from "@/lib/status";

export interface ViewLink {
  href: string;
  label: string;
}

type UnitRef = Pick<UnitSnapshot, "key" | "kind" | "targetId">;

/** The page that shows a unit in detail; checks without a page of their own (http, tcp, market data) are on the wall. */
export function viewOfUnit(u: Pick<UnitSnapshot, "kind" | "targetId">): ViewLink {
  switch (u.kind) {
    case "patroni":
    case "postgres":
      return { href: `/clusters/${encodeURIComponent(u.targetId)}`, label: `Cluster ${u.targetId}` };
    case "sentinel":
    case "redis":
      return { href: "/redis", label: "Redis" };
    case "vrrp":
      return { href: "/vrrp", label: "VRRP" };
    case "haproxy":
      return { href: "/haproxy", label: "HAProxy" };
    default:
      return { href: "/wall", label: "Wall" };
  }
}

/** Every page showing one of the component's units, once each, in the order of its units. */
export function viewsOfComponent(component: Pick<ComponentHealth, "unitKeys">, units: readonly UnitRef[]): ViewLink[] {
  const byKey = new Map(units.map((u) => [u.key, u]));
  const out = new Map<string, ViewLink>();
  for (const key of component.unitKeys) {
    const u = byKey.get(key);
    if (!u) continue;
    const v = viewOfUnit(u);
    if (!out.has(v.href)) out.set(v.href, v);
  }
  return [...out.values()];
}

/** How many of some units are UP, and the worst confirmed status among them (null for none). */
export function tally(units: readonly Pick<UnitSnapshot, "status">[]): { up: number; total: number; worst: Status | null } {
  const order: Status[] = ["DOWN", "DEGRADED", "STALE", "NO_DATA", "UP"];
  const worst = order.find((s) => units.some((u) => u.status === s)) ?? null;
  return { up: units.filter((u) => u.status === "UP").length, total: units.length, worst };
}
