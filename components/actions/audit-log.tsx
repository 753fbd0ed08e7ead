"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { rowClass, tableClass, tdClass, thClass, theadClass } from "@/components/ui/table-classes";
import { useTRPC } from "@/lib/trpc/client";
import { utc } from "./action-state";
import { quietButton } from "./modal";

/** The append-only audit log (admins): the latest entries, and the whole log as CSV. */
export function AuditLog() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const rows = useQuery(trpc.actions.audit.queryOptions({ limit: 200 }, { refetchInterval: 5_000 }));
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setErr(null);
    try {
      const r = await qc.fetchQuery(trpc.actions.auditCsv.queryOptions({}, { staleTime: 0 }));
      const url = URL.createObjectURL(new Blob([r.csv], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = r.filename;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="audit-h" className="space-y-2" data-testid="audit-log">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="audit-h" className="font-semibold text-slate-100">
          Audit log <span className="text-sm font-normal text-slate-400">(append-only; times in UTC)</span>
        </h2>
        <button type="button" className={quietButton} onClick={() => void download()} disabled={busy} data-testid="audit-csv">
          {busy ? "Preparing…" : "Download CSV"}
        </button>
      </div>
      {err && <p className="text-sm text-red-300">{err}</p>}
      {rows.error && <p className="text-sm text-red-300">{rows.error.message}</p>}
      <div className="overflow-x-auto">
        <table className={tableClass}>
          <thead className={theadClass}>
            <tr>
              <th className={thClass}>When (UTC)</th>
              <th className={thClass}>Who</th>
              <th className={thClass}>From</th>
              <th className={thClass}>Event</th>
              <th className={thClass}>Action</th>
              <th className={thClass}>Why / what</th>
              <th className={thClass}>Timeline</th>
            </tr>
          </thead>
          <tbody>
            {rows.data?.map((r) => (
              <tr key={r.id} className={rowClass} data-testid="audit-row" data-event={r.event}>
                <td className={`${tdClass} whitespace-nowrap tabular-nums`}>{utc(r.at)}</td>
                <td className={tdClass}>
                  {r.actorName} <span className="text-xs text-slate-500">({r.actorRole})</span>
                </td>
                <td className={`${tdClass} font-mono text-xs`}>{r.actorIp ?? "—"}</td>
                <td className={tdClass}>{r.event}</td>
                <td className={tdClass}>{r.requestId ? `#${r.requestId} ${r.targetId ?? ""}` : (r.targetId ?? "—")}</td>
                <td className={`${tdClass} max-w-lg text-slate-300`}>
                  {r.reason && <span className="text-slate-100">“{r.reason}” </span>}
                  {r.detail}
                </td>
                <td className={tdClass}>{r.timeline ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
