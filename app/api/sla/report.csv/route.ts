import "server-only";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z } from "zod";
import { ReportQuery, reportQueryInput } from "@/lib/sla";
import { CSV_TABLES, csvFileName, reportCsv } from "@/server/sla/csv";
import { toTRPCError } from "@/server/trpc/errors";
import { createTRPCContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const Table = z.enum(CSV_TABLES, { error: `expected one of ${CSV_TABLES.join(", ")}` }).default("summary");

const problem = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * GET /api/sla/report.csv?period=month&at=2026-11&components=database,cache&table=summary|incidents|maintenance
 * The same query as /sla/report; the report itself comes through the `sla.report` procedure, so
 * sign-in and errors are handled as for the page. A bad parameter is a 400 that names it.
 */
export async function GET(req: Request): Promise<Response> {
  const params = new URL(req.url).searchParams;
  const table = Table.safeParse(params.get("table") ?? undefined);
  if (!table.success) return problem(400, `table: ${table.error.issues[0]!.message}`);
  const query = ReportQuery.safeParse(reportQueryInput(params, ["table"]));
  if (!query.success) {
    const i = query.error.issues[0]!;
    const field = i.code === "unrecognized_keys" ? i.keys.join(", ") : i.path.join(".") || "query";
    return problem(400, `${field}: ${i.code === "unrecognized_keys" ? "unknown parameter" : i.message}`);
  }
  try {
    const caller = createCaller(await createTRPCContext({ headers: req.headers }));
    const report = await caller.sla.report(query.data);
    return new Response(reportCsv(report, table.data), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${csvFileName(report, table.data)}"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    const err = toTRPCError(e);
    return problem(getHTTPStatusCodeFromError(err), err.message);
  }
}
