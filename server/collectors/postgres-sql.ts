import type { PostgresData, ReplicationRow } from "./postgres";

/** The status query of the postgres collector and the mapping of its row to `PostgresData`. Pure. */

/**
 * Everything in one statement, valid on a primary and on a standby (functions that raise in the other
 * role sit behind CASE). Byte lags per stage:
 *   send = head − sent, write = sent − write, flush = write − flush, replay = flush − replay,
 * so the four add up to head − replay. `head` is pg_current_wal_lsn() on a primary, and on a cascading
 * standby the newest WAL it has (what its walsenders can send). Time lags are NULL when idle.
 * Timeline: the newest of the last checkpoint's (pg_control_checkpoint), the current WAL file's (primary)
 * and the WAL receiver's; a standby's restartpoint can keep an old timeline for minutes after a failover.
 */
export const STATUS_SQL = `
with s as (
  select pg_is_in_recovery() as rec,
         pg_last_wal_receive_lsn() as receive_lsn,
         pg_last_wal_replay_lsn() as replay_lsn
), h as (
  select s.*,
         case when s.rec then greatest(s.receive_lsn, s.replay_lsn) else pg_current_wal_lsn() end as head
  from s
)
select
  h.rec as in_recovery,
  pg_backend_pid() as backend_pid,
  current_setting('server_version_num')::int as server_version,
  greatest(
    (select timeline_id from pg_control_checkpoint()),
    case when not h.rec then ('x' || substr(pg_walfile_name(h.head), 1, 8))::bit(32)::int end,
    (select received_tli from pg_stat_wal_receiver limit 1)
  ) as timeline,
  case when not h.rec then h.head::text end as current_lsn,
  h.receive_lsn::text as receive_lsn,
  h.replay_lsn::text as replay_lsn,
  case when h.rec then greatest(pg_wal_lsn_diff(h.receive_lsn, h.replay_lsn), 0)::float8 end as replay_gap_bytes,
  case
    when not h.rec then null
    when h.receive_lsn is not null and h.receive_lsn <= h.replay_lsn then 0::float8
    else greatest(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)::float8
  end as replay_lag_seconds,
  case when h.rec then pg_last_xact_replay_timestamp() end as last_replay_at,
  case when h.rec then pg_is_wal_replay_paused() else false end as replay_paused,
  (select json_build_object('status', status, 'senderHost', sender_host, 'senderPort', sender_port, 'slotName', slot_name)
     from pg_stat_wal_receiver limit 1) as wal_receiver,
  (select coalesce(json_agg(json_build_object(
            'applicationName', application_name,
            'clientAddr', host(client_addr),
            'state', state,
            'syncState', sync_state,
            'sendLagBytes', pg_wal_lsn_diff(h.head, sent_lsn),
            'writeLagBytes', pg_wal_lsn_diff(sent_lsn, write_lsn),
            'flushLagBytes', pg_wal_lsn_diff(write_lsn, flush_lsn),
            'replayLagBytes', pg_wal_lsn_diff(flush_lsn, replay_lsn),
            'writeLagSeconds', extract(epoch from write_lag),
            'flushLagSeconds', extract(epoch from flush_lag),
            'replayLagSeconds', extract(epoch from replay_lag)
          ) order by application_name), '[]'::json)
     from pg_stat_replication) as replication
from h`;

/** One row of STATUS_SQL as pg returns it (json columns already parsed, timestamptz as Date). */
export interface StatusRow {
  in_recovery: boolean;
  backend_pid: number;
  server_version: number | null;
  timeline: number | null;
  current_lsn: string | null;
  receive_lsn: string | null;
  replay_lsn: string | null;
  replay_gap_bytes: number | null;
  replay_lag_seconds: number | null;
  last_replay_at: Date | string | null;
  replay_paused: boolean | null;
  wal_receiver: unknown;
  replication: unknown;
}

/** A number from JSON (number, or numeric text); anything else is null. */
function num(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

export function toReplicationRows(json: unknown): ReplicationRow[] {
  if (!Array.isArray(json)) return [];
  return json.map((raw) => {
    const r = record(raw);
    return {
      applicationName: str(r.applicationName) ?? "",
      clientAddr: str(r.clientAddr),
      state: str(r.state) ?? "",
      syncState: str(r.syncState) ?? "",
      sendLagBytes: num(r.sendLagBytes),
      writeLagBytes: num(r.writeLagBytes),
      flushLagBytes: num(r.flushLagBytes),
      replayLagBytes: num(r.replayLagBytes),
      writeLagSeconds: num(r.writeLagSeconds),
      flushLagSeconds: num(r.flushLagSeconds),
      replayLagSeconds: num(r.replayLagSeconds),
    };
  });
}

function toWalReceiver(json: unknown): NonNullable<PostgresData["standby"]>["walReceiver"] {
  if (typeof json !== "object" || json === null) return null;
  const r = record(json);
  return { status: str(r.status) ?? "", senderHost: str(r.senderHost), senderPort: num(r.senderPort), slotName: str(r.slotName) };
}

function isoOrNull(v: Date | string | null): string | null {
  if (v === null) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function toPostgresData(node: string, row: StatusRow, connectMs: number): PostgresData {
  const inRecovery = row.in_recovery;
  return {
    node,
    inRecovery,
    timeline: num(row.timeline),
    serverVersion: num(row.server_version),
    connectMs,
    currentLsn: inRecovery ? null : row.current_lsn,
    replication: toReplicationRows(row.replication),
    standby: inRecovery
      ? {
          receiveLsn: row.receive_lsn,
          replayLsn: row.replay_lsn,
          replayGapBytes: num(row.replay_gap_bytes),
          replayLagSeconds: num(row.replay_lag_seconds),
          lastReplayAt: isoOrNull(row.last_replay_at),
          replayPaused: row.replay_paused === true,
          walReceiver: toWalReceiver(row.wal_receiver),
        }
      : null,
  };
}

/** "16/B374D848" → bytes. Null for anything that is not an LSN. */
export function parseLsn(lsn: string | null | undefined): bigint | null {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn ?? "");
  if (!m) return null;
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}

/** Bytes from `b` to `a` (pg_wal_lsn_diff(a, b)); null when either is not an LSN. */
export function lsnDiff(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = parseLsn(a);
  const y = parseLsn(b);
  return x === null || y === null ? null : Number(x - y);
}
