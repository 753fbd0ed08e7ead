import { draftsOf, KINDS, TARGET_SECTIONS, type Kind, type ProbeUnit, type UnitOf } from "@/server/collectors/registry";
import type { Config } from "@/server/config/load";
import { unitKey } from "@/lib/keys";

export type { ProbeUnit, UnitOf } from "@/server/collectors/registry";

/**
 * A probe unit is the smallest thing scheduled on its own. Each kind's collector derives its units
 * from the config: one per target, except that a Patroni cluster yields a `patroni` unit (the REST
 * view) and a `postgres` unit per node, so a frozen node delays no other node.
 */

function unitsOfKind<K extends Kind>(kind: K, config: Config): UnitOf<K>[] {
  const d = config.defaults;
  const { section, drafts } = draftsOf(kind, config);
  return drafts.map(({ entry, node, target }) => {
    const intervalMs = entry.intervalMs ?? d.intervalMs;
    return {
      key: unitKey(kind, entry.id, node),
      kind,
      section,
      targetId: entry.id,
      node,
      component: entry.component,
      label: node ? `${entry.name ?? entry.id} / ${node}` : (entry.name ?? entry.id),
      intervalMs,
      // A deadline never outlives the interval, so one unit never has two probes in flight.
      timeoutMs: Math.min(entry.timeoutMs ?? d.timeoutMs, intervalMs),
      target,
    };
  });
}

/** Every unit of a config, in config order: by section, then by entry, then by kind in registry order. */
export function unitsFromConfig(config: Config): ProbeUnit[] {
  const units: ProbeUnit[] = KINDS.flatMap((kind) => unitsOfKind(kind, config));
  const entryOrder = new Map<string, number>();
  for (const u of units) if (!entryOrder.has(`${u.section}\0${u.targetId}`)) entryOrder.set(`${u.section}\0${u.targetId}`, entryOrder.size);
  const rank = (u: ProbeUnit) => [TARGET_SECTIONS.indexOf(u.section), entryOrder.get(`${u.section}\0${u.targetId}`) ?? 0];
  return units.toSorted((a, b) => {
    const [sa, ea] = rank(a);
    const [sb, eb] = rank(b);
    return sa! - sb! || ea! - eb!;
  });
}
