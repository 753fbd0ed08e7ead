/**
 * What the server sends to pages: client-safe (names, statuses and numbers; never DSNs, passwords or
 * tokens). Built on the server from the latest probe of every unit and the health verdict.
 */
import type { ComponentHealth, Finding, Overall, UnitHealth } from "./health";
import type { Status } from "./status";

/** A unit's health as the evaluator judged it, with what a page shows beside it. */
export interface UnitSnapshot extends UnitHealth {
  label: string;
  /** The collector's data (browser-safe by construction); null until the first answer. */
  data: unknown;
}

export interface ClusterMemberView {
  name: string;
  /** Patroni's role: leader, sync_standby, replica (or "absent" when the DCS no longer lists it). */
  role: string;
  state: string;
  timeline: number | null;
  host: string | null;
  port: number | null;
  /** pg_is_in_recovery() on the node; null when PostgreSQL did not answer. */
  inRecovery: boolean | null;
  /** From the primary's pg_stat_replication (bytes) and the standby itself (seconds). */
  lagBytes: number | null;
  lagSeconds: number | null;
  /** Patroni's own lag figure, from the DCS; can show false lag under load. */
  patroniLagBytes: number | "unknown" | null;
  syncState: string | null;
  replicationState: string | null;
  status: Status;
}

export interface ClusterView {
  id: string;
  name: string;
  component: string;
  status: Status;
  leader: string | null;
  syncStandby: string | null;
  paused: boolean;
  timeline: number | null;
  maxLagSeconds: number;
  members: ClusterMemberView[];
  history: { timeline: number; lsn: number | null; reason: string; at: string | null; leader: string | null }[];
}

export interface EventView {
  at: number;
  targetId: string;
  source: string;
  type: string;
  message: string;
}

export interface Snapshot {
  /** Increases with every evaluation that changed anything a page shows. */
  version: number;
  at: number;
  title: string;
  overall: { status: Overall; reasons: string[] };
  components: ComponentHealth[];
  findings: Finding[];
  units: UnitSnapshot[];
  clusters: ClusterView[];
  events: EventView[];
  /** How the poller itself is doing. */
  monitor: { startedAt: number; units: number; lastEvaluationAt: number | null };
}
