import "server-only";
import { raceAbort } from "@/lib/async";
import { notificationCounts } from "@/server/alerting/counters";
import type { Config } from "@/server/config/load";
import { slaBudgets } from "@/server/sla/service";
import type { Store } from "@/server/store";
import { activeAlerts } from "@/server/store/alerts";
import { notificationRows, type MetricsExtras } from "./metrics";

/**
 * What a scrape adds to the snapshot from the control store: firing alerts, SLA budgets, notification
 * counts. Each store part has the same short deadline; a part that misses it is omitted from this
 * scrape (named in a comment line), so a slow store never hangs a scrape.
 */

/** Well inside Prometheus' default 10 s scrape_timeout. */
export const SCRAPE_STORE_DEADLINE_MS = 2_000;
/** Budgets read up to a year of transitions; the wall refreshes them once a minute, a scrape every 30 s at most. */
export const BUDGETS_TTL_MS = 30_000;

type Budgets = NonNullable<MetricsExtras["budgets"]>;
const g = globalThis as unknown as { __hacrMetricsBudgets?: { config: Config; at: number; value: Promise<Budgets> } };

/** SLA budgets per subject and window, computed at most once per TTL; a computation that misses a scrape's deadline still fills the cache. */
function budgetsOf(config: Config, store: Store, now: number): Promise<Budgets> {
  const c = g.__hacrMetricsBudgets;
  if (c && c.config === config && now - c.at < BUDGETS_TTL_MS && now >= c.at) return c.value;
  const value = slaBudgets({ config, store }, now).then((b) =>
    [b.system, ...b.components].flatMap((s) => s.windows.map((w) => ({ component: s.id, window: w.id, remainingMs: w.counted.remainingMs, allowedMs: w.allowedMs }))),
  );
  const entry = { config, at: now, value };
  g.__hacrMetricsBudgets = entry;
  value.catch(() => {
    if (g.__hacrMetricsBudgets === entry) g.__hacrMetricsBudgets = undefined;
  });
  return value;
}

export interface ExtrasDeps {
  config: Config;
  getStore: () => Promise<Store>;
  now: number;
  deadlineMs?: number;
  log?: (line: string) => void;
}

export async function gatherMetricsExtras(deps: ExtrasDeps): Promise<MetricsExtras> {
  const { config, now } = deps;
  const ms = deps.deadlineMs ?? SCRAPE_STORE_DEADLINE_MS;
  const signal = AbortSignal.timeout(ms);
  const omitted: string[] = [];
  const log = deps.log ?? ((line: string) => console.error(line));
  // The scraper learns which part is missing and why in general terms; the detail (which can name a DSN) goes to the log.
  const part = async <T>(what: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await raceAbort(work(), signal);
    } catch (e) {
      if (signal.aborted) omitted.push(`${what}: the control store did not answer within ${ms} ms`);
      else {
        omitted.push(`${what}: the control store failed; see the server log`);
        log(`[metrics] ${what}: ${(e as Error).message}`);
      }
      return undefined;
    }
  };
  const [alerts, budgets] = await Promise.all([
    part("ha_alerts_firing", async () => {
      const list = await activeAlerts(await deps.getStore());
      // A one-shot alert past its expiry is over even before the sweep resolves it.
      return list.filter((a) => a.expiresAt === null || a.expiresAt > now).map((a) => ({ severity: a.labels.severity }));
    }),
    part("ha_sla_budget_remaining_seconds and ha_sla_budget_allowed_seconds", async () => budgetsOf(config, await deps.getStore(), now)),
  ]);
  const receivers = config.alerting?.receivers.map((r) => r.name) ?? [];
  return { alerts, budgets, notifications: notificationRows(receivers, notificationCounts()), omitted };
}
