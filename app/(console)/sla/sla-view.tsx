"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { BudgetCard } from "@/components/sla/budget-card";
import { FeasibilityPanel } from "@/components/sla/feasibility-panel";
import { MaintenancePanel } from "@/components/sla/maintenance-panel";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { formatInstant } from "@/lib/sla";
import { useTRPC } from "@/lib/trpc/client";

/** Budgets move slowly; a refresh every 15 s keeps an open incident's figures current. */
const REFRESH_MS = 15_000;

export function SlaView({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.sla.budgets.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const b = q.data;
  if (!b) return <LoadProblem error={q.error} what="SLA budgets" />;
  return (
    <div className="space-y-8">
      <PageHeader
        title="SLA budgets"
        description={
          <>
            Downtime is time-weighted from the recorded status changes; monitoring gaps (the dashboard not running) are unknown, never up, and shown beside every
            figure. Calendar periods in {b.timeZone}. <Link href="/sla/report" className="text-sky-300 underline-offset-2 hover:underline">Reports and CSV →</Link>
          </>
        }
        aside={<span className="text-xs text-slate-400 tabular-nums" data-testid="sla-updated">as of {formatInstant(b.now, b.timeZone)}</span>}
      />
      {b.unattributed > 0 && (
        <p role="note" className="text-sm text-amber-200">
          {b.unattributed} recorded change{b.unattributed === 1 ? " was" : "s were"} written outside any monitor run and left out.
        </p>
      )}
      <section className="space-y-3" aria-labelledby="sla-system-title">
        <h2 id="sla-system-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          System
        </h2>
        <BudgetCard b={b.system} timeZone={b.timeZone} now={b.now} />
      </section>
      <FeasibilityPanel f={b.feasibility} />
      <section className="space-y-3" aria-labelledby="sla-components-title">
        <h2 id="sla-components-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
          Components
        </h2>
        <div className="grid gap-4 xl:grid-cols-2">
          {b.components.map((c) => (
            <BudgetCard key={c.id} b={c} timeZone={b.timeZone} now={b.now} />
          ))}
        </div>
      </section>
      <MaintenancePanel windows={b.maintenance} components={b.components.map((c) => ({ id: c.id, name: c.name }))} timeZone={b.timeZone} canManage={canManage} />
    </div>
  );
}
