import { IncidentTable } from "@/components/sla/incident-table";
import { ReportMaintenance } from "@/components/sla/report-maintenance";
import { ReportTable } from "@/components/sla/report-table";
import type { RouterOutputs } from "@/lib/trpc/types";

type Report = RouterOutputs["sla"]["report"];

/** A loaded report: the figures per component, its incidents and maintenance, and how to read them. */
export function ReportBody({ report }: { report: Report }) {
  return (
    <>
      <ReportTable rows={report.rows} />
      <section className="space-y-2" aria-labelledby="sla-incidents-title">
        <h2 id="sla-incidents-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Incidents ({report.incidents.length})
        </h2>
        <IncidentTable incidents={report.incidents} timeZone={report.timeZone} />
      </section>
      <ReportMaintenance windows={report.maintenance} timeZone={report.timeZone} />
      <p className="text-xs text-slate-500">
        Achieved = good time ÷ known time; in brackets, with monitoring gaps and no-verdict time counted as down. Maintenance is excluded or counted per component policy;
        both figures are shown. {report.unattributed > 0 && `${report.unattributed} recorded changes outside any monitor run were left out.`}
      </p>
    </>
  );
}
