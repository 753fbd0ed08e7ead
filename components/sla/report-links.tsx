import { reportSearchParams, type ReportQuery } from "@/lib/sla";

const linkClass = "text-sky-300 underline-offset-2 hover:underline";

/** The report as CSV, table by table, and as print. */
export function ReportLinks({ query }: { query: ReportQuery }) {
  const csv = (table: string) => `/api/sla/report.csv?${reportSearchParams(query).toString()}&table=${table}`;
  return (
    <span className="ml-auto flex flex-wrap gap-3">
      <a href={csv("summary")} className={linkClass} data-testid="sla-csv-summary" download>
        CSV: summary
      </a>
      <a href={csv("incidents")} className={linkClass} data-testid="sla-csv-incidents" download>
        incidents
      </a>
      <a href={csv("maintenance")} className={linkClass} download>
        maintenance
      </a>
      <a href={csv("rto")} className={linkClass} data-testid="sla-csv-rto" download>
        RTO scoreboard
      </a>
      <a href={csv("rto_incidents")} className={linkClass} download>
        RTO incidents
      </a>
      <button type="button" onClick={() => window.print()} className={linkClass}>
        Print / PDF
      </button>
    </span>
  );
}
