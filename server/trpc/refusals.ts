import "server-only";
import type { Actor } from "@/lib/roles";
import { appendAudit, type AuditActor } from "@/server/store/audit";
import type { Store } from "@/server/store";
import { ALL, RefusalLimiter, type Dropped } from "./refusal-limit";

/**
 * Refusals by the access checks (sign-in, role, kiosk, CSRF) in the audit log: who, which procedure,
 * why, from which address, as event `refuse` without an action request. Rate-limited per actor by
 * ./refusal-limit; what is dropped is summed up in one row when its minute ends.
 */

export interface Refusal {
  actor: Actor | null;
  ip: string | null;
  /** The tRPC procedure, e.g. "actions.request". */
  path: string;
  type: "query" | "mutation" | "subscription";
  why: string;
  at: number;
  getStore: () => Promise<Store>;
}

/** Who the audit log names: the user, the kiosk token, or an anonymous caller known by address. */
export function refusedActor(actor: Actor | null, ip: string | null): AuditActor {
  if (actor?.kind === "user") return { id: actor.id, name: actor.name, role: actor.role, ip };
  if (actor?.kind === "kiosk") return { id: `kiosk:${actor.tokenId}`, name: `kiosk ${actor.tokenId}`, role: "kiosk", ip };
  return { id: "anonymous", name: "anonymous", role: "none", ip };
}

/** The limiter's key: one bucket per account or token; per address for anonymous callers. */
export function refusalKey(who: AuditActor): string {
  return who.id === "anonymous" ? `address:${who.ip ?? "unknown"}` : who.id;
}

interface Who {
  actor: AuditActor;
  getStore: () => Promise<Store>;
}

const EVERYONE: AuditActor = { id: "dashboard", name: "dashboard", role: "system", ip: null };

const g = globalThis as unknown as { __haRefusals?: { limiter: RefusalLimiter<Who | null>; timer: ReturnType<typeof setTimeout> | null } };

function state() {
  g.__haRefusals ??= { limiter: new RefusalLimiter<Who | null>(null), timer: null };
  return g.__haRefusals;
}

/** Records one refusal, or counts it when its actor is over the limit. Never throws: a refusal stays a refusal. */
export async function auditRefusal(r: Refusal): Promise<void> {
  const s = state();
  const who = refusedActor(r.actor, r.ip);
  const key = refusalKey(who);
  const { record, ended } = s.limiter.admit(key, { actor: who, getStore: r.getStore }, r.at);
  const fallback = { actor: who, getStore: r.getStore };
  await writeSummaries(ended, fallback);
  if (record) {
    await write(r.getStore, {
      actor: who,
      event: "refuse",
      at: r.at,
      targetId: r.path,
      reason: r.why,
      detail: `${r.type} ${r.path} refused by the access check`,
    });
  } else {
    schedule(fallback);
  }
}

/** A window with drops is summed up when it ends, even if its actor never comes back. */
function schedule(fallback: Who): void {
  const s = state();
  if (s.timer) return;
  const at = s.limiter.nextFlushAt();
  if (at === null) return;
  s.timer = setTimeout(
    () => {
      s.timer = null;
      void writeSummaries(s.limiter.takeEnded(Date.now()), fallback).then(() => schedule(fallback));
    },
    Math.max(0, at - Date.now()) + 50,
  );
  s.timer.unref?.();
}

async function writeSummaries(ended: Dropped<Who | null>[], fallback: Who): Promise<void> {
  for (const d of ended) {
    const who = d.who ?? { ...fallback, actor: EVERYONE };
    const whose = d.key === ALL ? "of all callers beyond the overall limit" : "of this caller";
    await write(who.getStore, {
      actor: who.actor,
      event: "refuse",
      at: d.to,
      targetId: null,
      reason: null,
      detail: `… and ${d.count} more refused ${whose} between ${new Date(d.from).toISOString()} and ${new Date(d.to).toISOString()}, not recorded one by one`,
    });
  }
}

async function write(getStore: () => Promise<Store>, row: Parameters<typeof appendAudit>[1]): Promise<void> {
  try {
    await appendAudit(await getStore(), row, null);
  } catch (e) {
    console.error(`[audit] could not record a refusal: ${(e as Error).message}`);
  }
}

/** Tests: start from an empty limiter. */
export function resetRefusalLimiter(): void {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  g.__haRefusals = undefined;
}
