import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConfigProblems } from "@/components/config-problems";
import { hasRole } from "@/lib/roles";
import { ReportQuery, reportQueryInput } from "@/lib/sla";
import { resolveRequest } from "@/server/auth";
import { tryGetConfig } from "@/server/config";
import { formatIssues } from "@/server/errors";
import { ReportView } from "./report-view";
import "./print.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "SLA report · HA Control Room" };

/** /sla/report?period=month|quarter|year|custom&at=…&from=…&to=…&components=a,b — the same query as the CSV export. */
export default async function SlaReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const loaded = tryGetConfig();
  if (!loaded.ok) return <ConfigProblems file={loaded.error.file} problems={loaded.error.problems} />;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) params.append(k, x);
  const parsed = ReportQuery.safeParse(reportQueryInput(params));
  const problem = parsed.success ? null : formatIssues(parsed.error, "query");
  const components = loaded.config.components.map((c) => ({ id: c.id, name: c.name }));
  const { actor } = await resolveRequest(await headers());
  // The API decides (operator or above); this only hides a control the server would refuse.
  const canCorrect = actor?.kind === "user" && hasRole(actor.role, "operator");
  return <ReportView query={parsed.success ? parsed.data : { period: "month" }} problem={problem} components={components} canCorrect={canCorrect} />;
}
