import type { ComponentHealth, Finding, Overall } from "@/lib/health";

/** The seed's "engine, database or Redis unreachable → CRITICAL" (comprehensive_healthcheck.py). */
export const DEFAULT_CORE_COMPONENTS: readonly string[] = ["trading-engine", "database", "cache"];

const MAX_DETAIL = 3;
const detail = (c: ComponentHealth) =>
  c.reasons.length ? `: ${c.reasons.slice(0, MAX_DETAIL).join("; ")}${c.reasons.length > MAX_DETAIL ? ` (+${c.reasons.length - MAX_DETAIL} more)` : ""}` : "";

/**
 * CRITICAL: a core component is DOWN, or a CRITICAL finding. DEGRADED: any other monitored component
 * not UP (DEGRADED, STALE, NO_DATA, or DOWN outside the core). HEALTHY otherwise. Components nothing
 * monitors are left out. Pending suspicions (a component's suspect, a finding still a WARNING) are
 * listed last without changing the verdict, so they are visible before they are confirmed.
 */
export function overallOf(
  components: readonly ComponentHealth[],
  findings: readonly Finding[],
  core: readonly string[] = DEFAULT_CORE_COMPONENTS,
): { overall: Overall; reasons: string[] } {
  const monitored = components.filter((c) => c.unitKeys.length > 0);
  const critical: string[] = [];
  const degraded: string[] = [];
  for (const c of monitored) {
    if (c.status === "UP") continue;
    const line = `${c.name} is ${c.status}${detail(c)}`;
    if (c.status === "DOWN" && core.includes(c.id)) critical.push(line);
    else degraded.push(line);
  }
  const suspected = monitored
    .filter((c) => c.suspect)
    .map((c) => `${c.name} may become ${c.suspect!.status} (${c.suspect!.count}/${c.suspect!.needed})${c.suspect!.reason ? `: ${c.suspect!.reason}` : ""}`);
  for (const f of findings) {
    if (f.severity === "CRITICAL") critical.push(f.title);
    else suspected.push(`suspected: ${f.title}`);
  }
  const overall: Overall = critical.length ? "CRITICAL" : degraded.length ? "DEGRADED" : "HEALTHY";
  return { overall, reasons: [...critical, ...degraded, ...suspected] };
}
