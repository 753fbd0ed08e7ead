import "server-only";
import type { ActionView } from "@/lib/actions";
import { pause } from "@/lib/async";
import { AppError } from "@/server/errors";
import { getAction, touchAction } from "@/server/store/actions";
import { driverFor, targetOf } from "./drivers";
import { record } from "./record";
import type { ActionDeps, Observation } from "./types";

const DEFAULT_POLL_MS = 250;
const DEFAULT_KEEP_WATCHING_MS = 10 * 60_000;
const WATCH_POLL_MS = 2_000;

async function look(deps: ActionDeps, a: ActionView): Promise<Observation> {
  const driver = driverFor(a.kind);
  try {
    return await driver.observe(driver.resolve(deps.config, targetOf(a)), a, deps);
  } catch (e) {
    if (e instanceof AppError) return { done: false, detail: e.message };
    throw e;
  }
}

/**
 * Step 5: polls until the component confirms the new state (a Patroni switchover: the candidate
 * leads, its PostgreSQL is primary, the others stream from it, HAProxy's read-write route reaches
 * it). On timeout it says so honestly — "outcome unknown, may still be in progress" — and keeps
 * watching in the background, recording the outcome if it comes.
 */
export async function verify(deps: ActionDeps, id: number): Promise<ActionView> {
  let a = await getAction(deps.store, id, deps.now());
  if (!a) throw new AppError("NOT_FOUND", `no action #${id}`);
  if (a.state !== "verifying") return a;
  const settings = driverFor(a.kind).resolve(deps.config, targetOf(a)).settings;
  const deadline = Math.max(deps.now(), a.scheduledAt ?? 0) + settings.verifyTimeoutMs;
  let lastTouch = deps.now();
  for (;;) {
    const obs = await look(deps, a);
    if (obs.done) return (await record(deps, id, ["verifying"], "succeeded", obs.detail, obs.newTimeline ?? null)) ?? a;
    if (obs.failed) return (await record(deps, id, ["verifying"], "failed", obs.detail)) ?? a;
    if (deps.now() >= deadline) {
      const unknown = await record(deps, id, ["verifying"], "unknown", `outcome unknown, may still be in progress: ${obs.detail}`);
      if (unknown && (deps.keepWatchingMs ?? DEFAULT_KEEP_WATCHING_MS) > 0) void keepWatching(deps, id);
      return unknown ?? a;
    }
    if (deps.now() - lastTouch >= 5_000) {
      await touchAction(deps.store, id, deps.now());
      lastTouch = deps.now();
    }
    await pause(deps.pollMs ?? DEFAULT_POLL_MS);
    a = (await getAction(deps.store, id, deps.now())) ?? a;
    if (a.state !== "verifying") return a;
  }
}

/** After an "unknown": keeps looking (touching the action, so views show it is watched) and records a late outcome. */
export async function keepWatching(deps: ActionDeps, id: number): Promise<ActionView | null> {
  const until = deps.now() + (deps.keepWatchingMs ?? DEFAULT_KEEP_WATCHING_MS);
  const started = deps.now();
  try {
    while (deps.now() < until) {
      const a = await getAction(deps.store, id, deps.now());
      if (!a || a.state !== "unknown") return a;
      await touchAction(deps.store, id, deps.now());
      const obs = await look(deps, a);
      const late = `${Math.round((deps.now() - started) / 1000)} s after the verification timeout`;
      if (obs.done) return record(deps, id, ["unknown"], "succeeded", `confirmed ${late}: ${obs.detail}`, obs.newTimeline ?? null);
      if (obs.failed) return record(deps, id, ["unknown"], "failed", `found ${late}: ${obs.detail}`);
      await pause(Math.max(deps.pollMs ?? DEFAULT_POLL_MS, WATCH_POLL_MS));
    }
  } catch (e) {
    console.error(`[actions] watching #${id} stopped:`, e);
  }
  return null;
}
