import "server-only";
import type { ActionKind, ActionTarget, ActionView, PreflightResult } from "@/lib/actions";
import type { ResolvedTargetActions } from "@/server/config/actions";
import type { Config } from "@/server/config/load";
import type { ApproverProof } from "@/server/auth/reauth";
import type { AuditActor } from "@/server/store/audit";
import type { Store } from "@/server/store";

/** Who is acting, as the services need it: the auth layer's user plus the client address. */
export type ActionActor = AuditActor;

/** The dashboard's own steps (execution, verification, expiry) are recorded under this actor. */
export function systemActor(instanceId: string): ActionActor {
  return { id: "system", name: `dashboard ${instanceId}`, role: "system", ip: null };
}

/** Everything the workflow needs from outside, injectable for tests (clock, store, config). */
export interface ActionDeps {
  store: Store;
  config: Config;
  now: () => number;
  /** This dashboard process (recorded as the owner of what it executes). */
  instanceId: string;
  /** Proves the approver (server/auth/reauth.ts): their password, or a fresh sign-in. Absent: nobody can approve. */
  proveApprover?: (userId: string, password: string | undefined) => Promise<ApproverProof>;
  /** Poll interval of verification (default 250 ms). */
  pollMs?: number;
  /** After a verification timeout, how long to keep watching for the outcome (default 10 min; 0: not at all). */
  keepWatchingMs?: number;
}

/** A config target an action applies to, with its settings resolved. */
export interface ResolvedTarget<T = unknown> {
  kind: ActionKind;
  targetId: string;
  /** The one-action-in-flight lock is taken on this key. */
  lockKey: string;
  settings: ResolvedTargetActions;
  config: T;
}

/** What the store knows that the preflight needs. */
export interface StoreFacts {
  /** Another action holding the target (never the action being checked itself). */
  holder: ActionView | null;
  /** When the last action on this target that reached execution finished (any outcome; now if it is still running). */
  lastExecutedAt: number | null;
}

/** What one call of the component's API did. */
export type ActResult =
  | { status: "accepted"; message: string }
  /** The component refused (Patroni 412, NOGOODSLAVE ...): nothing changed. */
  | { status: "refused"; message: string }
  | { status: "failed"; message: string }
  /** No clear answer (timeout, "status unknown"): verification decides. */
  | { status: "ambiguous"; message: string };

/** One look during verification. */
export interface Observation {
  done: boolean;
  /** In words: what is still missing, or what was confirmed. */
  detail: string;
  newTimeline?: number | null;
  /** Verification cannot succeed any more (e.g. another node took over): stop with "failed". */
  failed?: boolean;
}

/** One kind of action: how it reads the target, judges, acts and observes. */
export interface ActionDriver<T, F> {
  resolve(config: Config, target: ActionTarget): ResolvedTarget<T>;
  /** The target's name as the preflight reports it (the cluster's id, the group's, the instance's). */
  confirmName(resolved: ResolvedTarget<T>): string;
  /** Reads the component's state (deadline inside). */
  gather(resolved: ResolvedTarget<T>, target: ActionTarget, deps: ActionDeps): Promise<F>;
  /** The leader/master the request names when the operator gave none: the current one. */
  currentLeader(facts: F): string | null;
  /** Pure: the preflight verdict. */
  judge(facts: F, target: ActionTarget, store: StoreFacts, settings: ResolvedTargetActions, now: number): PreflightResult;
  act(resolved: ResolvedTarget<T>, action: ActionView, deps: ActionDeps): Promise<ActResult>;
  observe(resolved: ResolvedTarget<T>, action: ActionView, deps: ActionDeps): Promise<Observation>;
}
