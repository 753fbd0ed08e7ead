"use client";

import Link from "next/link";
import type { ComponentHealth } from "@/lib/health";
import type { UnitSnapshot } from "@/lib/snapshot";
import { formatDuration } from "@/lib/format";
import { StatusBadge } from "@/components/ui/status-badge";
import { SuspectPill } from "@/components/ui/suspect-pill";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { useNow } from "@/components/ui/use-now";
import { viewsOfComponent } from "./views";

const LAYERS = ["application", "data", "network"];

/** Layers in the stack's order (application, data, network), any other after them, components in config order within each. */
function byLayer(components: ComponentHealth[]): [string, ComponentHealth[]][] {
  const layers = [...new Set(components.map((c) => c.layer))].sort((a, b) => {
    const ia = LAYERS.indexOf(a);
    const ib = LAYERS.indexOf(b);
    return (ia < 0 ? LAYERS.length : ia) - (ib < 0 ? LAYERS.length : ib) || a.localeCompare(b);
  });
  return layers.map((l) => [l, components.filter((c) => c.layer === l)]);
}

/** Every SLA component: its confirmed status and any pending change, for how long, why, and where to look closer. */
export function ComponentTable({ components, units }: { components: ComponentHealth[]; units: UnitSnapshot[] }) {
  const now = useNow();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-800 bg-slate-900/60 px-4 py-2">
      <table className={tableClass} data-testid="home-components">
        <thead className={theadClass}>
          <tr>
            <th scope="col" className={thClass}>Component</th>
            <th scope="col" className={thClass}>Status</th>
            <th scope="col" className={thClass}>For</th>
            <th scope="col" className={`${thClass} text-right`}>SLA target</th>
            <th scope="col" className={thClass}>Why</th>
            <th scope="col" className={thClass}>Details</th>
          </tr>
        </thead>
        {byLayer(components).map(([layer, mine]) => (
          <tbody key={layer}>
            <tr className={rowClass}>
              <th scope="rowgroup" colSpan={6} className="pt-3 pb-1 text-left text-xs font-semibold tracking-wider text-slate-500 uppercase">
                {layer}
              </th>
            </tr>
            {mine.map((c) => (
              <tr key={c.id} className={`${rowClass} ${c.status === "UP" ? "" : "bg-red-950/20"}`} data-testid={`home-component-${c.id}`} data-status={c.status}>
                <th scope="row" className={`${tdClass} font-medium text-slate-100`}>
                  {c.name}
                </th>
                <td className={`${tdClass} whitespace-nowrap`}>
                  <StatusBadge status={c.status} /> {c.suspect && <SuspectPill suspect={c.suspect} />}
                </td>
                <td className={`${tdClass} whitespace-nowrap text-slate-300 tabular-nums`}>{now === null ? "…" : formatDuration(Math.max(0, now - c.since) / 1000)}</td>
                <td className={`${tdClass} text-right text-slate-300 tabular-nums`}>{c.sla}%</td>
                <td className={`${tdClass} text-slate-300`}>{c.reasons.length > 0 ? c.reasons.join("; ") : (c.suspect?.reason ?? "—")}</td>
                <td className={`${tdClass} whitespace-nowrap`}>
                  {viewsOfComponent(c, units).map((v, i) => (
                    <span key={v.href}>
                      {i > 0 && <span className="text-slate-600"> · </span>}
                      <Link href={v.href} className="text-sky-300 underline-offset-2 hover:underline">
                        {v.label}
                      </Link>
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
