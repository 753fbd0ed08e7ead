"use client";

import Link from "next/link";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { useNow } from "@/components/ui/use-now";
import { formatDuration } from "@/lib/format";
import type { RouterOutputs } from "@/lib/trpc/types";
import { SeverityBadge } from "./severity-badge";

type Alert = RouterOutputs["alerts"]["active"]["alerts"][number];

/** Labels worth a chip: alertname and severity have their own columns. */
const shownLabels = (labels: Record<string, string>) => Object.entries(labels).filter(([k]) => k !== "alertname" && k !== "severity");

/** The alerts firing now: severity, name, summary, age (ticking), labels, receivers, and the page that explains each. */
export function ActiveAlerts({ alerts, serverNow }: { alerts: Alert[]; serverNow: number }) {
  const now = useNow();
  return (
    <section aria-labelledby="alerts-active-h" className="space-y-3">
      <h2 id="alerts-active-h" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Firing now ({alerts.length})
      </h2>
      {alerts.length === 0 ? (
        <p className="text-sm text-slate-400" data-testid="alerts-none">
          <span aria-hidden="true">● </span>No alert is firing.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableClass} data-testid="alerts-active">
            <thead className={theadClass}>
              <tr>
                <th className={thClass}>Severity</th>
                <th className={thClass}>Alert</th>
                <th className={thClass}>Age</th>
                <th className={thClass}>Labels</th>
                <th className={thClass}>Receivers</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.fingerprint} className={rowClass} data-testid="alert-row" data-alertname={a.labels.alertname} data-fingerprint={a.fingerprint}>
                  <td className={tdClass}>
                    <SeverityBadge severity={a.labels.severity} />
                  </td>
                  <td className={tdClass}>
                    <Link href={a.path} className="font-medium text-sky-300 underline-offset-2 hover:underline">
                      {a.labels.alertname}
                    </Link>
                    <p className="text-slate-300">{a.annotations.summary}</p>
                    {a.annotations.description && a.annotations.description !== a.annotations.summary && <p className="text-xs text-slate-400">{a.annotations.description}</p>}
                  </td>
                  <td className={`${tdClass} whitespace-nowrap tabular-nums`} title={new Date(a.startsAt).toISOString()}>
                    {formatDuration(Math.max(0, (now ?? serverNow) - a.startsAt) / 1000)}
                  </td>
                  <td className={tdClass}>
                    <ul className="flex flex-wrap gap-1">
                      {shownLabels(a.labels).map(([k, v]) => (
                        <li key={k} className="rounded bg-slate-800 px-1.5 py-0.5 font-mono text-xs text-slate-300">
                          {k}={v}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className={tdClass}>{a.receivers.length ? a.receivers.join(", ") : <span className="text-slate-500">none configured</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
