"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { IncidentTable } from "@/components/sla/incident-table";
import { ReportTable } from "@/components/sla/report-table";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { REPORT_PERIODS, SYSTEM_ID, formatBudget, formatInstant, reportSearchParams, type ReportPeriodKind, type ReportQuery } from "@/lib/sla";
import { useTRPC } from "@/lib/trpc/client";
import { rowClass, tableClass, thClass, theadClass } from "@/components/ui/table-classes";

const PERIOD_LABEL: Record<ReportPeriodKind, string> = { month: "Calendar month", quarter: "Quarter", year: "Year", custom: "Custom" };

export function ReportView({
  query,
  problem,
  components,
}: {
  query: ReportQuery;
  problem: string | null;
  components: { id: string; name: string }[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [period, setPeriod] = useState<ReportPeriodKind>(query.period ?? "month");
  const r = useQuery(trpc.sla.report.queryOptions(query, { enabled: problem === null }));
  const csv = (table: string) => `/api/sla/report.csv?${reportSearchParams(query).toString()}&table=${table}`;
  const allIds = [SYSTEM_ID, ...components.map((c) => c.id)];
  const selected = new Set(query.components?.length ? query.components : allIds);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const picked = f.getAll("components").map(String);
    const next: ReportQuery = {
      period,
      ...(period === "custom" ? { from: String(f.get("from") || ""), to: String(f.get("to") || "") } : f.get("at") ? { at: String(f.get("at")) } : {}),
      ...(picked.length && picked.length < allIds.length ? { components: picked } : {}),
    };
    router.push(`/sla/report?${reportSearchParams(next).toString()}`);
  }

  const report = r.data;
  return (
    <div className="space-y-6" data-sla-report="">
      <PageHeader
        title={report ? `SLA report ${report.period.label}` : "SLA report"}
        description={
          report ? (
            <span data-testid="sla-report-period">
              {formatInstant(report.period.from, report.timeZone)} to {formatInstant(report.period.to, report.timeZone)} ({report.timeZone})
              {report.period.now < report.period.to && `, up to ${formatInstant(report.period.now, report.timeZone)}: ${formatBudget(report.period.elapsedMs)} elapsed`}
            </span>
          ) : undefined
        }
      />
      <form onSubmit={submit} className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-800 p-3 text-sm" data-print="hide" aria-label="Report period and components">
        <label className="flex flex-col gap-1">
          Period
          <select name="period" value={period} onChange={(e) => setPeriod(e.target.value as ReportPeriodKind)} className="rounded border border-slate-700 bg-slate-950 px-2 py-1">
            {REPORT_PERIODS.map((p) => (
              <option key={p} value={p}>
                {PERIOD_LABEL[p]}
              </option>
            ))}
          </select>
        </label>
        {period === "custom" ? (
          <>
            <label className="flex flex-col gap-1">
              From
              <input name="from" type="date" required defaultValue={query.from?.slice(0, 10)} className="rounded border border-slate-700 bg-slate-950 px-2 py-1" />
            </label>
            <label className="flex flex-col gap-1">
              To (inclusive)
              <input name="to" type="date" required defaultValue={query.to?.slice(0, 10)} className="rounded border border-slate-700 bg-slate-950 px-2 py-1" />
            </label>
          </>
        ) : (
          <label className="flex flex-col gap-1">
            {period === "month" ? "Month" : `A month in the ${period}`}
            <input
              key={report?.period.from ?? "none"}
              name="at"
              type="month"
              defaultValue={query.at?.slice(0, 7) ?? (report ? formatInstant(report.period.from, report.timeZone).slice(0, 7) : undefined)}
              className="rounded border border-slate-700 bg-slate-950 px-2 py-1"
            />
          </label>
        )}
        <fieldset className="flex flex-wrap gap-x-3 gap-y-1">
          <legend className="sr-only">Components</legend>
          {[{ id: SYSTEM_ID, name: "System" }, ...components].map((c) => (
            <label key={c.id} className="inline-flex items-center gap-1">
              <input type="checkbox" name="components" value={c.id} defaultChecked={selected.has(c.id)} />
              {c.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="rounded bg-sky-700 px-3 py-1 font-medium text-white hover:bg-sky-600">
          Show
        </button>
        <span className="ml-auto flex flex-wrap gap-3">
          <a href={csv("summary")} className="text-sky-300 underline-offset-2 hover:underline" data-testid="sla-csv-summary" download>
            CSV: summary
          </a>
          <a href={csv("incidents")} className="text-sky-300 underline-offset-2 hover:underline" data-testid="sla-csv-incidents" download>
            incidents
          </a>
          <a href={csv("maintenance")} className="text-sky-300 underline-offset-2 hover:underline" download>
            maintenance
          </a>
          <button type="button" onClick={() => window.print()} className="text-sky-300 underline-offset-2 hover:underline">
            Print / PDF
          </button>
        </span>
      </form>
      {problem ? (
        <p role="alert" className="rounded border border-red-800 bg-red-950/40 px-3 py-2 text-sm text-red-200" data-testid="sla-report-problem">
          {problem}
        </p>
      ) : !report ? (
        <LoadProblem error={r.error} what="the report" />
      ) : (
        <>
          <ReportTable rows={report.rows} />
          <section className="space-y-2" aria-labelledby="sla-incidents-title">
            <h2 id="sla-incidents-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
              Incidents ({report.incidents.length})
            </h2>
            <IncidentTable incidents={report.incidents} timeZone={report.timeZone} />
          </section>
          <section className="space-y-2" aria-labelledby="sla-report-maint-title">
            <h2 id="sla-report-maint-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
              Maintenance windows ({report.maintenance.length})
            </h2>
            {report.maintenance.length === 0 ? (
              <p className="text-sm text-slate-400">No maintenance window in this period.</p>
            ) : (
              <table className={tableClass} data-testid="sla-report-maintenance">
                <thead className={theadClass}>
                  <tr>
                    <th className={thClass}>Start</th>
                    <th className={thClass}>End</th>
                    <th className={thClass}>Components</th>
                    <th className={thClass}>Reason</th>
                    <th className="py-1 font-medium">State</th>
                  </tr>
                </thead>
                <tbody>
                  {report.maintenance.map((w) => (
                    <tr key={w.id} className={rowClass}>
                      <td className="py-1 pr-4 tabular-nums">{formatInstant(w.start, report.timeZone)}</td>
                      <td className="py-1 pr-4 tabular-nums">{formatInstant(w.effectiveEnd, report.timeZone)}</td>
                      <td className="py-1 pr-4">{w.components.join(", ")}</td>
                      <td className="py-1 pr-4">{w.reason}</td>
                      <td className="py-1">{w.state}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <p className="text-xs text-slate-500">
            Achieved = good time ÷ known time; in brackets, with monitoring gaps and no-verdict time counted as down. Maintenance is excluded or counted per component policy;
            both figures are shown. {report.unattributed > 0 && `${report.unattributed} recorded changes outside any monitor run were left out.`}
          </p>
        </>
      )}
    </div>
  );
}
