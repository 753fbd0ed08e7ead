import { z } from "zod";

/**
 * Guarded actions in the topology file: per target, how long approvals stay open, the
 * cooldown since the last failover and how long verification waits; per VRRP node, the drain file.
 * Every key is optional; the services fill in the defaults below.
 */

export const TargetActions = z.strictObject({
  /** A request nobody approved within this window expires. */
  approvalWindowMinutes: z.number().min(1).max(24 * 60).optional(),
  /** Refuse a new action until this long after the last failover or switchover of the target (any origin). */
  cooldownSeconds: z.number().int().min(0).max(7 * 86_400).optional(),
  /** How long verification polls before saying "outcome unknown, may still be in progress" (it keeps watching). */
  verifyTimeoutSeconds: z.number().int().min(5).max(3600).optional(),
});
export type TargetActions = z.infer<typeof TargetActions>;

export interface ResolvedTargetActions {
  approvalWindowMs: number;
  cooldownMs: number;
  verifyTimeoutMs: number;
}

/**
 * The defaults per kind. Sentinel's cooldown covers the ~10 s in which the old master stays writable
 * after a failover (a second SENTINEL FAILOVER then fails with -failover-abort-no-good-slave).
 */
export const ACTION_DEFAULTS = {
  patroni: { approvalWindowMinutes: 10, cooldownSeconds: 300, verifyTimeoutSeconds: 60 },
  sentinel: { approvalWindowMinutes: 10, cooldownSeconds: 60, verifyTimeoutSeconds: 40 },
  vrrp: { approvalWindowMinutes: 10, cooldownSeconds: 30, verifyTimeoutSeconds: 20 },
} as const;

export function resolveTargetActions(kind: keyof typeof ACTION_DEFAULTS, given: TargetActions | undefined): ResolvedTargetActions {
  const d = ACTION_DEFAULTS[kind];
  return {
    approvalWindowMs: (given?.approvalWindowMinutes ?? d.approvalWindowMinutes) * 60_000,
    cooldownMs: (given?.cooldownSeconds ?? d.cooldownSeconds) * 1000,
    verifyTimeoutMs: (given?.verifyTimeoutSeconds ?? d.verifyTimeoutSeconds) * 1000,
  };
}

/** keepalived's track_file weight: value × -1 lowers the priority; -254 or lower would mean FAULT. */
export const DEFAULT_DRAIN_WEIGHT = 253;

/** Keys added to a VRRP node: the runtime drain mechanism (keepalived `track_file`, see README "VRRP actions"). */
export const VrrpNodeDrain = {
  /**
   * The node's keepalived track_file (`track_file drain { file ... weight -1 }`), as the dashboard
   * sees it (a shared mount). Writing N lowers the node's priority by N at once (inotify); 0 undrains.
   */
  drainFile: z.string().min(1).optional(),
  /** What a drain writes: it must exceed the priority gap to the peer. Default 253 (priority 1, not FAULT). */
  drainWeight: z.number().int().min(1).max(253).optional(),
};
