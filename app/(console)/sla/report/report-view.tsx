"use client";

import { useQuery } from "@tanstack/react-query";
import { ReportBody } from "@/components/sla/report-body";
import { ReportForm } from "@/components/sla/report-form";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { formatBudget, formatInstant, type ReportQuery } from "@/lib/sla";
import { useTRPC } from "@/lib/trpc/client";

export function ReportView({
  query,
  problem,
  components,
  canCorrect,
}: {
  query: ReportQuery;
  problem: string | null;
  components: { id: string; name: string }[];
  canCorrect: boolean;
}) {
  const trpc = useTRPC();
  const r = useQuery(trpc.sla.report.queryOptions(query, { enabled: problem === null }));
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
      <ReportForm query={query} components={components} report={report} />
      {problem ? (
        <p role="alert" className="rounded border border-red-800 bg-red-950/40 px-3 py-2 text-sm text-red-200" data-testid="sla-report-problem">
          {problem}
        </p>
      ) : !report ? (
        <LoadProblem error={r.error} what="the report" />
      ) : (
        <ReportBody report={report} canCorrect={canCorrect} />
      )}
    </div>
  );
}
