import { formatMs } from "@/lib/format";
import type { HttpCheckState, MarketDataState, TcpCheckState } from "@/lib/raw-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";

type Check = HttpCheckState | TcpCheckState | MarketDataState;

function detail(c: Check): string {
  if (c.kind === "http") return c.data ? `HTTP ${c.data.statusCode}` : "—";
  if (c.kind === "tcp") return c.data?.received ? `got "${c.data.received}"` : "—";
  return "—";
}

/** HTTP, TCP and market data checks in one table. */
export function ChecksTable({ checks }: { checks: Check[] }) {
  return (
    <div className="rounded-lg border border-slate-800 bg-slate-900/60 p-4">
      <table className={tableClass}>
        <thead className={theadClass}>
          <tr>
            <th className={thClass}>Check</th>
            <th className={thClass}>Kind</th>
            <th className={thClass}>Status</th>
            <th className={thClass}>Result</th>
            <th className={thClass}>Latency</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.id} className={rowClass} data-testid={`check-${c.id}`}>
              <td className={tdClass}>
                {c.name}
                <div className="font-mono text-xs text-slate-500">{c.endpoint}</div>
              </td>
              <td className={tdClass}>{c.kind === "marketData" ? "market data" : c.kind.toUpperCase()}</td>
              <td className={tdClass}>
                <StatusBadge status={c.status} />
              </td>
              <td className={tdClass}>
                <span className="font-mono text-xs">{detail(c)}</span>
                {c.error && <div className={`text-xs ${c.status === "NO_DATA" ? "text-slate-400" : "text-red-300"}`}>{c.error}</div>}
              </td>
              <td className={tdClass}>{formatMs(c.latencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
