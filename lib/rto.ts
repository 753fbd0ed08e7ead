/**
 * Client-safe vocabulary of recovery against the DR document's targets: the seed's failure modes
 * (section 1.3), their detection method and recovery-time target, and the operator's correction of an
 * incident's class. No server imports.
 */
import { z } from "zod";

export const FAILURE_MODES = ["server-hardware", "network-partition", "software-crash", "database", "data-centre"] as const;
export type FailureMode = (typeof FAILURE_MODES)[number];

export interface RtoTarget {
  label: string;
  /** The seed's detection method, as written. */
  detection: string;
  /** The seed's recovery time, as a range. */
  minMs: number;
  maxMs: number;
}

const S = 1000;
/** The seed's section 1.3, "Common Failure Scenarios". */
export const RTO_TARGETS: Record<FailureMode, RtoTarget> = {
  "server-hardware": { label: "Server hardware failure", detection: "health checks (every 1 s)", minMs: 30 * S, maxMs: 60 * S },
  "network-partition": { label: "Network partition", detection: "split-brain detection", minMs: 5 * S, maxMs: 10 * S },
  "software-crash": { label: "Software crash", detection: "process monitoring (systemd)", minMs: 10 * S, maxMs: 30 * S },
  database: { label: "Database failure", detection: "connection pool monitoring", minMs: 60 * S, maxMs: 120 * S },
  "data-centre": { label: "Data-centre outage", detection: "cross-DC health monitoring", minMs: 120 * S, maxMs: 300 * S },
};

export const FAILURE_MODE_LABEL = (m: FailureMode | null): string => (m === null ? "Unclassified" : RTO_TARGETS[m].label);

/**
 * An operator's correction of an incident's failure mode. The incident is named by its component and
 * the instant it was first suspected (the stored transition that opened it).
 */
export const CorrectClassInput = z.strictObject({
  componentId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { error: "componentId: expected a component id such as trading-engine" }),
  suspectedAt: z.number({ error: "suspectedAt: expected epoch milliseconds" }).int({ error: "suspectedAt: expected whole epoch milliseconds" }).nonnegative({ error: "suspectedAt: expected epoch milliseconds" }),
  mode: z.enum(FAILURE_MODES, { error: `mode: expected one of ${FAILURE_MODES.join(", ")}` }),
  note: z.string().trim().min(5, { error: "note: say why the class is wrong (at least 5 characters)" }).max(1000, { error: "note: at most 1000 characters" }),
});
export type CorrectClassInput = z.input<typeof CorrectClassInput>;

/** The stored transitions of a cross-layer finding (DOWN while CRITICAL, UP once gone): `finding:<id>`. */
export const FINDING_PREFIX = "finding:";
export const findingSubject = (id: string) => `${FINDING_PREFIX}${id}`;
