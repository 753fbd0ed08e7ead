import "server-only";
import { z } from "zod";
import { ReportQuery, reportQueryInput } from "@/lib/sla";
import { CSV_TABLES, csvFileName, reportCsv } from "@/server/sla/csv";
import { parseInput } from "@/server/errors";
import { toHttpResponse } from "@/server/trpc/errors";
import { createTRPCContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const Table = z.enum(CSV_TABLES, { error: `expected one of ${CSV_TABLES.join(", ")}` }).default("summary");

/**
 * GET /api/sla/report.csv?period=month&at=2026-11&components=database,cache&table=summary|incidents|maintenance|rto|rto_incidents
 * The same query as /sla/report; the report itself comes through the `sla.report` procedure, so
 * sign-in and errors are handled as for the page. A bad parameter is a 400 that names it.
 */
export async function GET(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  try {
    const table = parseInput(Table, params.get("table") ?? undefined, { root: "table" });
    const query = parseInput(ReportQuery, reportQueryInput(params, ["table"]), { root: "query" });
    const caller = createCaller(await createTRPCContext({ headers: req.headers }));
    const report = await caller.sla.report(query);
    return new Response(reportCsv(report, table), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${csvFileName(report, table)}"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return toHttpResponse(e);
  }
}
