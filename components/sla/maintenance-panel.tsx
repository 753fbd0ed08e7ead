"use client";

import { MaintenanceForm } from "@/components/sla/maintenance-form";
import { MaintenanceList } from "@/components/sla/maintenance-list";
import type { RouterOutputs } from "@/lib/trpc/types";

type Window = RouterOutputs["sla"]["maintenance"]["list"][number];

/** Scheduled maintenance: the windows, and for admins a form to schedule one and buttons to cancel. */
export function MaintenancePanel({
  windows,
  components,
  timeZone,
  canManage,
}: {
  windows: Window[];
  components: { id: string; name: string }[];
  timeZone: string;
  canManage: boolean;
}) {
  const name = (id: string) => (id === "*" ? "every component" : (components.find((c) => c.id === id)?.name ?? id));
  return (
    <section className="space-y-3" aria-labelledby="sla-maintenance-title" data-testid="sla-maintenance">
      <h2 id="sla-maintenance-title" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
        Maintenance windows
      </h2>
      <MaintenanceList windows={windows} componentName={name} timeZone={timeZone} canManage={canManage} />
      {canManage ? <MaintenanceForm components={components} /> : <p className="text-xs text-slate-500">Only an admin schedules or cancels maintenance.</p>}
    </section>
  );
}
