"use client";

import { useQuery } from "@tanstack/react-query";
import { ActiveAlerts } from "@/components/alerts/active-alerts";
import { AlertingNotConfigured } from "@/components/alerts/alerting-not-configured";
import { ReceiverLog } from "@/components/alerts/receiver-log";
import { LoadProblem } from "@/components/ui/load-problem";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/lib/trpc/client";

/** Deliveries retry within seconds; a 3 s poll shows an attempt soon after it happens. */
const REFRESH_MS = 3_000;

export function AlertsView({ canTest }: { canTest: boolean }) {
  const trpc = useTRPC();
  const active = useQuery(trpc.alerts.active.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const receivers = useQuery(trpc.alerts.receivers.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  const header = (
    <PageHeader
      title="Alerts"
      description="What the dashboard is telling people now, and every notification each receiver was sent: attempts, answers, retries and dead letters. Updates every few seconds."
    />
  );
  if (!active.data || !receivers.data) {
    return (
      <div className="space-y-8">
        {header}
        <LoadProblem error={active.error ?? receivers.error} what="alerts" />
      </div>
    );
  }
  return (
    <div className="space-y-8">
      {header}
      {!active.data.configured && <AlertingNotConfigured />}
      <ActiveAlerts alerts={active.data.alerts} serverNow={active.data.now} />
      {receivers.data.configured && (
        <section aria-labelledby="alerts-receivers-h" className="space-y-3">
          <h2 id="alerts-receivers-h" className="text-sm font-semibold tracking-wider text-slate-400 uppercase">
            Receivers and their delivery log
          </h2>
          {receivers.data.receivers.map((r) => (
            <ReceiverLog key={r.name} r={r} canTest={canTest} />
          ))}
        </section>
      )}
    </div>
  );
}
