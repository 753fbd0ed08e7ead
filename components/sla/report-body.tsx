import { IncidentTable } from "@/components/sla/incident-table";
import { ReportMaintenance } from "@/components/sla/report-maintenance";
import { ReportTable } from "@/components/sla/report-table";
import { RtoIncidents } from "@/components/sla/rto-incidents";
import { RtoScoreboard } from "@/components/sla/rto-scoreboard";
import type { RouterOutputs } from "@/lib/trpc/types";

type Report = RouterOutputs["sla"]["report"];

/** A loaded report: the figures per component, its incidents and maintenance, and how to read them. */
export function ReportBody({ report, canCorrect }: { report: Report; canCorrect: boolean }) {
  return (
    <>
      <ReportTable rows={report.rows} />
      <section className="space-y-2" aria-labelledby="sla-incidents-title">
        <h2 id="sla-incidents-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Incidents ({report.incidents.length})
        </h2>
        <IncidentTable incidents={report.incidents} timeZone={report.timeZone} />
      </section>
      <section className="space-y-2" aria-labelledby="sla-rto-title" data-testid="sla-rto">
        <h2 id="sla-rto-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Recovery against the DR targets
        </h2>
        <RtoScoreboard rto={report.rto} />
        <p className="text-xs text-slate-500">
          An incident is a component out of UP. Detection: first failing probe → confirmed by hysteresis; recovery: first failing probe → first passing probe. Targets from the DR
          document (section 1.3).
        </p>
        <RtoIncidents incidents={report.rto.incidents} timeZone={report.timeZone} canCorrect={canCorrect} />
      </section>
      <ReportMaintenance windows={report.maintenance} timeZone={report.timeZone} />
      <p className="text-xs text-slate-500">
        Achieved = good time ÷ known time; in brackets, with monitoring gaps and no-verdict time counted as down. Maintenance is excluded or counted per component policy;
        both figures are shown. {report.unattributed > 0 && `${report.unattributed} recorded changes outside any monitor run were left out.`}
      </p>
    </>
  );
}
