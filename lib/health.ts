/**
 * The health verdict as pages see it: client-safe types only (names, statuses, reasons; never DSNs).
 * Computed on the server by server/health (pure rules, hysteresis, cross-layer checks).
 */
import type { Kind } from "@/server/collectors/registry";
import type { Status } from "./status";

/** The overall status, as a health-check script's exit code would say it: 0 / 1 / 2. */
export const OVERALLS = ["HEALTHY", "DEGRADED", "CRITICAL"] as const;
export type Overall = (typeof OVERALLS)[number];

/** What a probe unit looks at: one collector per kind, listed once in the server's collector registry. */
export type HealthKind = Kind;

/**
 * A change that is seen but not yet confirmed, like HAProxy's "DOWN 1/3": shown at once, so
 * hysteresis delays the verdict but never hides the fault.
 */
export interface Suspect {
  status: Status;
  /** Consecutive verdicts seen so far. */
  count: number;
  /** Consecutive verdicts that confirm it (`fall` for a worse status, `rise` for UP). */
  needed: number;
  /** Why: the latest verdict's reason. */
  reason: string | null;
}

export interface UnitHealth {
  /** e.g. "patroni:labcluster", "postgres:labcluster/pg1", "http:te1-health". */
  key: string;
  kind: HealthKind;
  targetId: string;
  node?: string;
  component: string;
  /** Confirmed status, after hysteresis (or at once for a monitoring gap). */
  status: Status;
  /** The latest probe's own verdict. */
  raw: Status;
  suspect: Suspect | null;
  /** Epoch ms when the confirmed status began; null before the first probe. */
  since: number | null;
  /** Why the unit has its confirmed status (for UP, a short description). */
  reason: string | null;
  latencyMs: number | null;
  /** Epoch ms the latest probe finished. */
  lastProbeAt: number | null;
}

export interface ComponentHealth {
  /** The SLA component id, e.g. "trading-engine". */
  id: string;
  name: string;
  layer: string;
  /** Availability target in percent. */
  sla: number;
  status: Status;
  /** What the component would become if the units' pending changes are confirmed. */
  suspect: Suspect | null;
  /**
   * Epoch ms of the component's last confirmed transition (when `status` began), as the evaluator saw
   * it or, after a dashboard restart, as the control store recorded it.
   */
  since: number;
  /** Why it is not UP (empty when UP), each naming the unit or finding. */
  reasons: string[];
  unitKeys: string[];
}

export type Severity = "CRITICAL" | "WARNING";

/** A cross-layer inconsistency (split brain, orphan primary, ...). */
export interface Finding {
  /** Stable across evaluations, e.g. "split-brain:vi-trading". */
  id: string;
  /** CRITICAL once confirmed; WARNING while it has not yet lasted long enough to rule out a transition. */
  severity: Severity;
  title: string;
  /** Plain English: what it means and why it is dangerous. */
  explanation: string;
  /** Unit keys it concerns. */
  subjects: string[];
  /** Epoch ms it was first seen (continuously since). */
  since: number;
}

export interface Verdict {
  overall: Overall;
  /** Epoch ms the overall verdict began (dated like a component's `since`). */
  since: number;
  /** Why the overall status is what it is: the components and findings responsible. */
  reasons: string[];
  components: ComponentHealth[];
  units: UnitHealth[];
  findings: Finding[];
}
