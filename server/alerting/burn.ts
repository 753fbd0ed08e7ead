import type { AlertSpec } from "@/lib/alerts";
import { formatDuration } from "@/lib/format";
import { formatBudget } from "@/lib/sla-format";
import type { BurnAlert, BurnFigure } from "@/server/sla/burn";

/**
 * SLA burn-rate and budget alerts from the figures the SLA service computes (read from the store
 * every minute, outside this pure code). A burn rule fires only when both of its windows hold at
 * least `minKnownPercent` % known time: a fresh store, or one back from a long gap, holds a few
 * minutes of data, and one blip in them would read as a huge burn rate.
 */

export interface ComponentSlaFigures {
  id: string;
  name: string;
  /** Each burn rule with its long and short window figures. */
  burn: readonly BurnAlert[];
  /** This calendar month's budget (what the wall shows); null while nothing of the month is known. */
  month: { allowedMs: number; usedMs: number; remainingMs: number } | null;
}

export interface SlaAlertFigures {
  /** When the figures were computed. */
  at: number;
  components: readonly ComponentSlaFigures[];
}

/** Enough of the window is known for its burn rate to mean something. */
export const knownEnough = (f: BurnFigure, minKnownPercent: number) => f.windowMs > 0 && f.knownMs * 100 >= minKnownPercent * f.windowMs;

const span = (ms: number) => formatDuration(ms / 1000).replace(/ 0[smh]$/, "");

export function burnAlerts(figures: SlaAlertFigures, minKnownPercent: number, now: number): AlertSpec[] {
  const out: AlertSpec[] = [];
  for (const c of figures.components) {
    for (const a of c.burn) {
      if (!a.firing || !knownEnough(a.long, minKnownPercent) || !knownEnough(a.short, minKnownPercent)) continue;
      const { rule } = a;
      out.push({
        labels: { alertname: "SlaBurnRate", severity: rule.severity === "page" ? "critical" : "warning", component: c.id, window: rule.name },
        annotations: {
          summary: `${c.name} burns its error budget at ${rule.factor}× or more (${rule.name})`,
          // No live figures here: they change every minute and each change would be a new notification.
          description: `${c.name} spent its error budget at least ${rule.factor}× faster than its SLA allows over both the last ${span(rule.longWindowMs)} and the last ${span(rule.shortWindowMs)}`,
        },
        path: "/sla",
        source: "burn",
        startsAt: now,
      });
    }
    const m = c.month;
    if (m && m.remainingMs <= 0 && m.usedMs > 0) {
      out.push({
        labels: { alertname: "SlaBudgetExhausted", severity: "critical", component: c.id, window: "month" },
        annotations: {
          summary: `${c.name} has used up this month's error budget`,
          description: `${c.name} has used up this month's error budget of ${formatBudget(m.allowedMs)}: any further downtime breaks its SLA`,
        },
        path: "/sla",
        source: "burn",
        startsAt: now,
      });
    }
  }
  return out;
}
