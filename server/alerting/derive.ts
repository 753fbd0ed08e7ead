import { alertFingerprint, type AlertEvent, type AlertSource, type AlertSpec } from "@/lib/alerts";
import type { Verdict } from "@/lib/health";
import { burnAlerts, type SlaAlertFigures } from "./burn";
import { findingAlerts } from "./findings";
import { selfAlerts, watchdogAlert, type SelfFacts } from "./self";
import { statusAlerts } from "./status";

/**
 * Which alerts the dashboard wants firing now, and the changes from what is firing: pure, the clock
 * is a parameter. The runtime derives after every evaluation and writes the changes to the outbox
 * in the transaction that records the transitions behind them.
 */

/** The sources the runtime derives; action and test alerts are raised (and resolved) elsewhere. */
export const DERIVED_SOURCES: readonly AlertSource[] = ["status", "finding", "burn", "self", "watchdog"];
export const isDerived = (s: AlertSource) => DERIVED_SOURCES.includes(s);

export interface DeriveInput {
  now: number;
  /**
   * The latest verdict; null while the dashboard warms up (before every unit has answered once, its
   * components read NO_DATA): status and finding alerts then stay as they are, so a restart neither
   * resolves what still holds nor pages for the warm-up.
   */
  verdict: Verdict | null;
  /** The latest SLA figures; null until first read (no burn alert is raised or resolved meanwhile). */
  sla: SlaAlertFigures | null;
  self: SelfFacts;
  watchdog: boolean;
  burnMinKnownPercent: number;
  /** What is firing now (by fingerprint), so an alert keeps the labels it fired with. */
  active?: ReadonlyMap<string, AlertSpec>;
}

export function deriveAlerts(input: DeriveInput): AlertSpec[] {
  const active = [...(input.active?.values() ?? [])];
  const self = selfAlerts(input.self, input.now);
  const watchdog = input.watchdog ? watchdogAlert(self, input.self.startedAt) : null;
  const out: AlertSpec[] = [];
  if (input.verdict) out.push(...statusAlerts(input.verdict, active), ...findingAlerts(input.verdict));
  else out.push(...active.filter((a) => a.source === "status" || a.source === "finding"));
  // Before the first read the burn alerts stay as they are, rather than resolving and firing again.
  out.push(...(input.sla ? burnAlerts(input.sla, input.burnMinKnownPercent, input.now) : active.filter((a) => a.source === "burn")));
  out.push(...self);
  if (watchdog) out.push(watchdog);
  return out;
}

const sameText = (a: AlertSpec, b: AlertSpec) =>
  a.path === b.path && JSON.stringify(Object.entries(a.annotations).sort()) === JSON.stringify(Object.entries(b.annotations).sort());

/**
 * The events that turn `active` into `desired`: a new alert fires; one no longer desired resolves
 * (endsAt = now); one whose words or page changed fires again with its original start.
 */
export function diffAlerts(active: ReadonlyMap<string, AlertSpec>, desired: readonly AlertSpec[], now: number): AlertEvent[] {
  const events: AlertEvent[] = [];
  const wanted = new Map<string, AlertSpec>();
  for (const d of desired) {
    const fp = alertFingerprint(d.labels);
    if (!wanted.has(fp)) wanted.set(fp, d);
  }
  for (const [fingerprint, d] of wanted) {
    const was = active.get(fingerprint);
    if (was && sameText(was, d)) continue;
    const startsAt = was ? was.startsAt : d.startsAt;
    events.push({ ...d, startsAt, expiresAt: d.expiresAt ?? null, fingerprint, status: "firing", at: now, endsAt: null });
  }
  for (const [fingerprint, a] of active) {
    if (wanted.has(fingerprint)) continue;
    events.push({ labels: a.labels, annotations: a.annotations, path: a.path, source: a.source, startsAt: a.startsAt, expiresAt: a.expiresAt ?? null, fingerprint, status: "resolved", at: now, endsAt: Math.max(now, a.startsAt) });
  }
  return events;
}

/** Folds events into the active set (what `enqueueAlertEvents` does to the store's alert rows). */
export function applyAlertEvents(active: Map<string, AlertSpec>, events: readonly AlertEvent[]): void {
  for (const e of events) {
    if (e.status === "resolved") active.delete(e.fingerprint);
    else active.set(e.fingerprint, { labels: e.labels, annotations: e.annotations, path: e.path, source: e.source, startsAt: e.startsAt, expiresAt: e.expiresAt ?? null });
  }
}

/** One-shot alerts whose expiry has passed, as resolved events dated at their expiry. */
export function expiredAlertEvents(active: Iterable<AlertSpec & { fingerprint: string }>, now: number): AlertEvent[] {
  const out: AlertEvent[] = [];
  for (const a of active) {
    if (a.expiresAt == null || a.expiresAt > now) continue;
    const endsAt = Math.max(a.expiresAt, a.startsAt);
    out.push({ labels: a.labels, annotations: a.annotations, path: a.path, source: a.source, startsAt: a.startsAt, expiresAt: a.expiresAt, fingerprint: a.fingerprint, status: "resolved", at: now, endsAt });
  }
  return out;
}
