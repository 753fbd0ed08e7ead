import type { AlertSpec } from "@/lib/alerts";
import { formatDuration } from "@/lib/format";

/**
 * The dashboard's own health: its data feed, its poller and its control store; and the Watchdog,
 * always firing while none of those is critical, so a receiver that stops hearing it knows the
 * dashboard died (Alertmanager's dead man's switch convention).
 */

export interface SelfFacts {
  /** When the runtime started. */
  startedAt: number;
  /** The latest evaluation, null before the first. */
  lastEvaluationAt: number | null;
  /** The latest probe result of any unit, null before the first. */
  lastResultAt: number | null;
  /** The feed is stale after this long without an evaluation or a probe result. */
  staleAfterMs: number;
  /** Start lateness of the probes over the last minute (ms, sorted ascending). */
  lateness: readonly number[];
  /** Control-store writes that failed over the last minute. */
  storeErrors: number;
}

/** The poller is behind when the 95th percentile of probe start lateness is above these. */
export const POLLER_BEHIND_WARNING_MS = 1_000;
export const POLLER_BEHIND_CRITICAL_MS = 5_000;
/** So many failed store writes in a minute is critical: history and notifications are being lost. */
export const STORE_ERRORS_CRITICAL = 5;

const p95 = (sorted: readonly number[]) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]! : 0);

export function selfAlerts(s: SelfFacts, now: number): AlertSpec[] {
  const out: AlertSpec[] = [];
  const self = (alertname: string, severity: "critical" | "warning", summary: string, description: string, startsAt: number): AlertSpec => ({
    labels: { alertname, severity, component: "dashboard" },
    annotations: { summary, description },
    path: "/",
    source: "self",
    startsAt,
  });
  const quiet = (last: number | null) => now - Math.max(last ?? s.startedAt, s.startedAt);
  const noEval = quiet(s.lastEvaluationAt);
  const noResult = quiet(s.lastResultAt);
  if (noEval > s.staleAfterMs || noResult > s.staleAfterMs) {
    const [what, last] = noEval >= noResult ? ["evaluation", s.lastEvaluationAt] : ["probe result", s.lastResultAt];
    const since = Math.max(last ?? s.startedAt, s.startedAt);
    // Stable words (a time, not an age): a changed description is a new notification.
    out.push(
      self(
        "DashboardFeedStale",
        "critical",
        "The dashboard's data feed is stale",
        `no ${what} since ${new Date(since).toISOString()} (more than ${formatDuration(s.staleAfterMs / 1000)}): what the wall shows is not live`,
        since,
      ),
    );
  }
  const late = p95(s.lateness);
  if (late > POLLER_BEHIND_WARNING_MS) {
    out.push(
      self(
        "DashboardPollerBehind",
        late > POLLER_BEHIND_CRITICAL_MS ? "critical" : "warning",
        "The dashboard's poller is falling behind",
        `probes start more than ${formatDuration((late > POLLER_BEHIND_CRITICAL_MS ? POLLER_BEHIND_CRITICAL_MS : POLLER_BEHIND_WARNING_MS) / 1000)} late (95th percentile over the last minute): faults are seen that much later`,
        now,
      ),
    );
  }
  if (s.storeErrors > 0) {
    out.push(
      self(
        "DashboardStoreErrors",
        s.storeErrors >= STORE_ERRORS_CRITICAL ? "critical" : "warning",
        "The dashboard cannot write to its control store",
        `control-store writes failed in the last minute (see the server log): history and notifications may be lost`,
        now,
      ),
    );
  }
  return out;
}

/** Firing while the dashboard is healthy: none of its own alerts is critical. */
export function watchdogAlert(self: readonly AlertSpec[], startedAt: number): AlertSpec | null {
  if (self.some((a) => a.labels.severity === "critical")) return null;
  return {
    labels: { alertname: "Watchdog", severity: "info" },
    annotations: {
      summary: "The dashboard is alive",
      description: "Always firing while the dashboard evaluates, polls and writes: if a receiver stops hearing it, the dashboard is down",
    },
    path: "/alerts",
    source: "watchdog",
    startsAt: startedAt,
  };
}
