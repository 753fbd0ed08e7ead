import "server-only";
import type { ActionKind, ActionTarget, ActionView } from "@/lib/actions";
import { patroniDriver } from "./patroni";
import { sentinelDriver } from "./sentinel";
import type { ActionDriver } from "./types";
import { vrrpDriver } from "./vrrp";

/** One driver per kind of action, keyed by kind. */
const DRIVERS = {
  patroni_switchover: patroniDriver,
  patroni_failover: patroniDriver,
  sentinel_failover: sentinelDriver,
  vrrp_drain: vrrpDriver,
  vrrp_undrain: vrrpDriver,
} as const satisfies Record<ActionKind, unknown>;

/** The driver of a kind, with its own config and facts types erased (each driver only sees what it produced). */
export function driverFor(kind: ActionKind): ActionDriver<unknown, unknown> {
  return DRIVERS[kind] as unknown as ActionDriver<unknown, unknown>;
}

/** The target an action was requested for, as the drivers take it. */
export function targetOf(a: ActionView): ActionTarget {
  return {
    kind: a.kind,
    targetId: a.targetId,
    ...(a.node !== null ? { node: a.node } : {}),
    ...(a.expectedLeader !== null ? { expectedLeader: a.expectedLeader } : {}),
    ...(a.scheduledAt !== null ? { scheduledAt: new Date(a.scheduledAt).toISOString() } : {}),
  };
}
