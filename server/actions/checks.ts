/**
 * Building blocks of every preflight (pure): a check list, and the two checks every kind shares —
 * one action in flight per target, and the cooldown since the last failover.
 */
import type { PreflightCheck, PreflightResult } from "@/lib/actions";
import type { StoreFacts } from "./types";

export class Checks {
  readonly list: PreflightCheck[] = [];
  ok(id: string, label: string, detail: string): void {
    this.list.push({ id, label, result: "ok", detail });
  }
  refuse(id: string, label: string, detail: string): void {
    this.list.push({ id, label, result: "refused", detail });
  }
  skip(id: string, label: string, detail: string): void {
    this.list.push({ id, label, result: "skipped", detail });
  }
  /** ok when `pass`, else refused with `why`. */
  expect(pass: boolean, id: string, label: string, okDetail: string, why: string): boolean {
    if (pass) this.ok(id, label, okDetail);
    else this.refuse(id, label, why);
    return pass;
  }
  result(now: number, facts: PreflightResult["facts"]): PreflightResult {
    return { ok: this.list.every((c) => c.result !== "refused"), at: now, checks: this.list, facts };
  }
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

export function checkInFlight(c: Checks, store: StoreFacts): void {
  const h = store.holder;
  c.expect(
    h === null,
    "in-flight",
    "No other action in flight",
    "no other action holds this target",
    h ? `action #${h.id} (${h.kind}, ${h.state}, requested by ${h.requester.name}) is in flight on this target` : "",
  );
}

/**
 * `lastSwitchAt` is what the component itself recorded (Patroni's history, Sentinel's +switch-master),
 * so a failover that did not go through the dashboard counts too.
 */
export function checkCooldown(c: Checks, cooldownMs: number, lastSwitchAt: number | null, store: StoreFacts, now: number): void {
  const last = Math.max(lastSwitchAt ?? Number.NEGATIVE_INFINITY, store.lastExecutedAt ?? Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(last)) {
    c.ok("cooldown", "Cooldown since the last failover", `no failover on record; cooldown is ${seconds(cooldownMs)}`);
    return;
  }
  const since = now - last;
  c.expect(
    since >= cooldownMs,
    "cooldown",
    "Cooldown since the last failover",
    `last failover ${seconds(since)} ago; cooldown is ${seconds(cooldownMs)}`,
    `the last failover was ${seconds(Math.max(0, since))} ago; the cooldown is ${seconds(cooldownMs)} (wait ${seconds(cooldownMs - since)})`,
  );
}
