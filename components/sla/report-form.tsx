"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { REPORT_PERIODS, SYSTEM_ID, formatInstant, reportSearchParams, type ReportPeriodKind, type ReportQuery } from "@/lib/sla";
import type { RouterOutputs } from "@/lib/trpc/types";
import { ReportLinks } from "@/components/sla/report-links";

type Report = RouterOutputs["sla"]["report"];

const PERIOD_LABEL: Record<ReportPeriodKind, string> = { month: "Calendar month", quarter: "Quarter", year: "Year", custom: "Custom" };
const inputClass = "rounded border border-slate-700 bg-slate-950 px-2 py-1";

/** The period and components of a report; submitting navigates to the report's own address. */
export function ReportForm({ query, components, report }: { query: ReportQuery; components: { id: string; name: string }[]; report: Report | undefined }) {
  const router = useRouter();
  const [period, setPeriod] = useState<ReportPeriodKind>(query.period ?? "month");
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

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-800 p-3 text-sm" data-print="hide" aria-label="Report period and components">
      <label className="flex flex-col gap-1">
        Period
        <select name="period" value={period} onChange={(e) => setPeriod(e.target.value as ReportPeriodKind)} className={inputClass}>
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
            <input name="from" type="date" required defaultValue={query.from?.slice(0, 10)} className={inputClass} />
          </label>
          <label className="flex flex-col gap-1">
            To (inclusive)
            <input name="to" type="date" required defaultValue={query.to?.slice(0, 10)} className={inputClass} />
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
            className={inputClass}
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
      <ReportLinks query={query} />
    </form>
  );
}
