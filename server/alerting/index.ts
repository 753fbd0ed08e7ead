import "server-only";
import type { Config } from "@/server/config/load";
import { lastAlertEventId } from "@/server/store/alerts";
import type { Store } from "@/server/store/store";
import { resendActive } from "./alertmanager";
import { dispatchReceiver, type DispatchContext } from "./dispatcher";
import { externalURLOf, type AlertingLog, type AlertmanagerReceiverConfig } from "./settings";
import { DeliveryWorker } from "./worker";

/**
 * Alert delivery for this process: a loop that routes the outbox into notifications (dispatcher) and
 * sends them (worker) every TICK_MS, and one re-send loop per Alertmanager receiver. The outbox and
 * notifications live in the store, so stopping at any moment loses nothing: the next start carries on.
 */

export interface StartAlertingOptions {
  store: Store;
  config: Pick<Config, "alerting" | "auth">;
  log?: AlertingLog;
  now?: () => number;
  /** Default 200 ms: a confirmed transition reaches a direct webhook well under a second (group_wait 0). */
  tickMs?: number;
}

export interface Alerting {
  stop(): Promise<void>;
}

const TICK_MS = 200;
/** Each receiver's groups are looked at this often even when nothing seems due (another instance may have written). */
const RESCAN_MS = 5_000;
/** The same error is logged at most this often. */
const LOG_EVERY_MS = 60_000;

export async function startAlerting(opts: StartAlertingOptions): Promise<Alerting> {
  const settings = opts.config.alerting;
  if (!settings) return { stop: async () => {} };
  const now = opts.now ?? Date.now;
  const log: AlertingLog = opts.log ?? (() => {});
  const tickMs = opts.tickMs ?? TICK_MS;
  const ctx: DispatchContext = { settings, externalURL: externalURLOf(opts.config), now };
  const worker = new DeliveryWorker({ store: opts.store, receivers: settings.receivers, now, log });
  const stopping = new AbortController();

  const lastLogged = new Map<string, number>();
  const report = (what: string, e: unknown) => {
    const line = `[alerting] ${what}: ${e instanceof Error ? e.message : String(e)}`;
    const at = lastLogged.get(line);
    if (at !== undefined && now() - at < LOG_EVERY_MS) return;
    lastLogged.set(line, now());
    log("error", line);
  };

  const seen = new Map<string, { cursor: number; nextDueAt: number | null; scannedAt: number }>();
  async function dispatchAll(): Promise<void> {
    const head = await lastAlertEventId(opts.store);
    for (const r of settings!.receivers) {
      const s = seen.get(r.name);
      const t = now();
      const due = !s || head > s.cursor || (s.nextDueAt !== null && t >= s.nextDueAt) || t - s.scannedAt >= RESCAN_MS;
      if (!due) continue;
      try {
        let res;
        do res = await dispatchReceiver(opts.store, ctx, r);
        while (res.more && !stopping.signal.aborted);
        seen.set(r.name, { cursor: head, nextDueAt: res.nextDueAt, scannedAt: t });
      } catch (e) {
        report(`routing alerts to ${r.name}`, e);
      }
    }
  }

  let loop: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    loop = (async () => {
      try {
        await dispatchAll();
      } catch (e) {
        report("reading the alert outbox", e);
      }
      try {
        await worker.tick();
      } catch (e) {
        report("claiming notifications", e);
      }
    })().finally(() => {
      if (!stopping.signal.aborted) timer = setTimeout(tick, tickMs);
    });
  };
  tick();

  const resenders = settings.receivers
    .filter((r): r is AlertmanagerReceiverConfig => r.type === "alertmanager")
    .map((r) => {
      let running: Promise<unknown> = Promise.resolve();
      const resend = () => {
        running = resendActive(opts.store, { settings, externalURL: ctx.externalURL, receiver: r, now: now(), stop: stopping.signal })
          .then(({ result }) => {
            if (result && !result.stopped && (result.code === null || result.code < 200 || result.code > 299)) report(`re-sending active alerts to ${r.name}`, result.error ?? `HTTP ${result.code}`);
          })
          .catch((e: unknown) => report(`re-sending active alerts to ${r.name}`, e));
      };
      const interval = setInterval(() => void running.then(resend), r.resendIntervalMs);
      interval.unref();
      return { interval, done: () => running };
    });

  log("info", `[alerting] delivering to ${settings.receivers.map((r) => `${r.name} (${r.type})`).join(", ")}`);
  return {
    async stop() {
      if (stopping.signal.aborted) return;
      stopping.abort();
      if (timer) clearTimeout(timer);
      for (const r of resenders) clearInterval(r.interval);
      await loop;
      await worker.stop();
      await Promise.all(resenders.map((r) => r.done()));
    },
  };
}
