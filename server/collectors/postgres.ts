import "server-only";
import pg from "pg";
import type { Secret } from "@/server/config/load";
import { Defaults } from "@/server/config/schema";
import type { Collector, PostgresData, PostgresTarget, ProbeResult, ReplicationRow } from "./types";
import { describeError, since } from "./util";

/**
 * One PostgreSQL node as it sees itself: role, timeline, WAL positions and replication, in one round
 * trip per poll over a cached connection (one per node, reused across polls).
 */

export const APPLICATION_NAME = "ha-control-room";

/** statement_timeout when the cluster sets no timeoutMs: the schema's default deadline. */
const DEFAULT_TIMEOUT_MS = Defaults.parse({}).timeoutMs;
/** pg's own connect timer, a backstop only: the caller's AbortSignal is the real deadline. */
const HARD_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Everything in one statement, valid on a primary and on a standby (functions that raise in the other
 * role sit behind CASE). Byte lags per stage, as LAB_NOTES §2 "Replication views":
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

// ---------------------------------------------------------------- pure mapping

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

/**
 * pg.Client options from the node's DSN. pg's own `connectionString` would override an explicit
 * password with the URL's (empty) one, so the URL is taken apart here. Honoured query parameters:
 * host (a socket directory), port, sslmode (disable, prefer, require, no-verify, verify-ca, verify-full).
 */
export function connectionOptions(dsn: string): Pick<pg.ClientConfig, "host" | "port" | "user" | "database" | "ssl"> {
  const u = new URL(dsn);
  const q = u.searchParams;
  const host = q.get("host") || decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, "$1") || "localhost";
  const port = Number(q.get("port") || u.port || 5432);
  const user = decodeURIComponent(u.username) || undefined;
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || undefined;
  let ssl: pg.ClientConfig["ssl"];
  switch (q.get("sslmode")) {
    case "require":
    case "no-verify":
      ssl = { rejectUnauthorized: false };
      break;
    case "verify-ca":
      ssl = { checkServerIdentity: () => undefined };
      break;
    case "verify-full":
      ssl = true;
      break;
    default: // disable, allow, prefer (pg cannot fall back from TLS) or absent
      ssl = false;
  }
  return { host, port, user, database, ssl };
}

/** Reasons that are safe for the browser: fixed phrases chosen by SQLSTATE, never the server's text. */
const SQLSTATE_TEXT: Record<string, string> = {
  "28P01": "authentication failed (wrong user or password)",
  "28000": "connection rejected (pg_hba.conf or role)",
  "3D000": "database does not exist",
  "53300": "too many connections",
  "57014": "statement timeout",
  "57P01": "server is shutting down",
  "57P02": "server crashed",
  "57P03": "server is not accepting connections yet",
  "42501": "permission denied (give the monitoring role pg_monitor)",
  "42883": "function missing (PostgreSQL 10 or newer needed)",
};

export function describePostgresError(e: unknown, signal: AbortSignal, start: number, where?: string): string {
  const suffix = where ? ` (${where})` : "";
  if (!signal.aborted && e instanceof pg.DatabaseError) {
    if (e.code && e.code in SQLSTATE_TEXT) return `${SQLSTATE_TEXT[e.code]}${suffix}`;
    if (e.code && /^[0-9A-Z]{5}$/.test(e.code)) return `server error ${e.code}${suffix}`;
    // pg-protocol reports bytes it cannot parse as a DatabaseError without a code.
    if (e.message.startsWith("received invalid response")) return `not a PostgreSQL server (unexpected reply)${suffix}`;
  }
  if (!signal.aborted && e instanceof Error) {
    if (e.message === "Connection terminated unexpectedly") return `connection closed by the server${suffix}`;
    if (e.message === "timeout expired") return `connect timed out${suffix}`;
    if (e.message.startsWith("The server does not support SSL")) return `server does not support TLS${suffix}`;
  }
  return describeError(e, signal, start, where);
}

// ---------------------------------------------------------------- connections

interface Conn {
  key: string;
  client: pg.Client;
  /** Non-secret settings the connection was made with; a change means a new connection. */
  fingerprint: string;
  /** Compared by identity: a reloaded config (new Secret objects) gets new connections. */
  secret: Secret | undefined;
  busy: boolean;
  dead: boolean;
  backendPid: number | null;
}

/** On globalThis so that Next's dev hot reload reuses the connections instead of leaking them. */
const globalForPg = globalThis as unknown as { __hacrPostgresConns?: Map<string, Conn> };
const conns = (globalForPg.__hacrPostgresConns ??= new Map<string, Conn>());

const keyOf = (t: PostgresTarget) => `${t.cluster.id}/${t.node.name}`;
const statementTimeoutOf = (t: PostgresTarget) => t.cluster.timeoutMs ?? DEFAULT_TIMEOUT_MS;
const fingerprintOf = (t: PostgresTarget) => JSON.stringify([t.node.dsn, statementTimeoutOf(t)]);

/** Close the socket at once: a frozen server would never answer a polite Terminate. */
function destroy(conn: Conn): void {
  conn.dead = true;
  if (conns.get(conn.key) === conn) conns.delete(conn.key);
  conn.client.connection.stream.destroy();
}

function forget(conn: Conn): void {
  conn.dead = true;
  if (conns.get(conn.key) === conn) conns.delete(conn.key);
}

/** The cached connection if it is healthy, idle and made with the same settings. */
function checkout(t: PostgresTarget): Conn | undefined {
  const c = conns.get(keyOf(t));
  if (!c) return undefined;
  if (c.dead || c.fingerprint !== fingerprintOf(t) || c.secret !== t.node.password) {
    // Settings changed (or it broke): out of the cache; a probe still using it closes it at checkin.
    conns.delete(c.key);
    if (!c.busy && !c.dead) c.client.end().catch(() => {});
    return undefined;
  }
  if (c.busy) return undefined; // two probes of one node at once (not the scheduler's doing): use a one-off
  c.busy = true;
  return c;
}

/** Back into the cache, or closed when it was a one-off or has been replaced meanwhile. */
function checkin(conn: Conn): void {
  conn.busy = false;
  if (conn.dead || conns.get(conn.key) === conn) return;
  conn.dead = true;
  conn.client.end().catch(() => {});
}

/** Settles with `work`, or rejects as soon as `signal` aborts, destroying the connection so `work` ends too. */
function bounded<T>(conn: Conn, work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      destroy(conn);
      reject(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

async function open(t: PostgresTarget, signal: AbortSignal): Promise<Conn> {
  const secret = t.node.password;
  const client = new pg.Client({
    ...connectionOptions(t.node.dsn),
    // Revealed only when the server asks for it, during the handshake.
    password: secret ? () => secret.reveal() : undefined,
    application_name: APPLICATION_NAME,
    statement_timeout: statementTimeoutOf(t),
    connectionTimeoutMillis: HARD_CONNECT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  const conn: Conn = { key: keyOf(t), client, fingerprint: fingerprintOf(t), secret, busy: true, dead: false, backendPid: null };
  // A cached connection can break between polls (server restart, node killed): forget it, never crash.
  client.on("error", () => forget(conn));
  client.on("end", () => forget(conn));
  try {
    await bounded(conn, client.connect(), signal);
  } catch (e) {
    destroy(conn);
    throw e;
  }
  const cached = conns.get(conn.key);
  if (!cached || cached.dead) conns.set(conn.key, conn);
  return conn;
}

async function query(conn: Conn, signal: AbortSignal): Promise<StatusRow> {
  const res = await bounded(conn, conn.client.query<StatusRow>(STATUS_SQL), signal);
  const row = res.rows[0];
  if (!row) throw new Error("status query returned no row");
  conn.backendPid = row.backend_pid;
  return row;
}

/**
 * The connection is unusable: a socket or protocol failure, or a FATAL the server ended the session with
 * (57P01 on shutdown or pg_terminate_backend). An ERROR (statement timeout, permission) leaves it usable.
 */
const brokenBy = (e: unknown) =>
  !(e instanceof pg.DatabaseError) || e.severity === "FATAL" || e.severity === "PANIC" || e.message.startsWith("received invalid response");

export async function probePostgres(target: PostgresTarget, signal: AbortSignal): Promise<ProbeResult<PostgresData>> {
  const start = performance.now();
  const { host, port } = connectionOptions(target.node.dsn);
  const endpoint = String(host).startsWith("/") ? `socket ${port}` : `${host}:${port}`;
  let phase: "connect" | "query" = "connect";
  let conn: Conn | undefined;
  let connectMs = 0;
  const fresh = async (): Promise<Conn> => {
    phase = "connect";
    const t0 = performance.now();
    const c = await open(target, signal);
    connectMs = since(t0);
    return c;
  };
  try {
    signal.throwIfAborted();
    const cached = checkout(target);
    conn = cached ?? (await fresh());
    phase = "query";
    let row: StatusRow;
    try {
      row = await query(conn, signal);
    } catch (e) {
      // A cached connection that died unnoticed (no FIN seen yet): one fresh attempt within the same deadline.
      if (!cached || signal.aborted || !brokenBy(e)) throw e;
      destroy(conn);
      conn = undefined;
      conn = await fresh();
      phase = "query";
      row = await query(conn, signal);
    }
    checkin(conn);
    return { ok: true, latencyMs: since(start), data: toPostgresData(target.node.name, row, connectMs) };
  } catch (e) {
    if (conn) {
      if (signal.aborted || brokenBy(e)) destroy(conn);
      else checkin(conn); // e.g. permission denied: the connection itself is fine
    }
    return { ok: false, latencyMs: since(start), error: describePostgresError(e, signal, start, `${phase} ${endpoint}`) };
  }
}

/** The server process behind a node's cached connection (null when none is cached); for tests and diagnostics. */
export function pooledBackendPid(target: PostgresTarget): number | null {
  const c = conns.get(keyOf(target));
  return c && !c.dead ? c.backendPid : null;
}

/** Close every cached connection (server shutdown). Politely first; whatever has not ended in `graceMs` is destroyed. */
export async function closePostgresPools(graceMs = 1_000): Promise<void> {
  const all = [...conns.values()];
  conns.clear();
  await Promise.all(
    all.map(async (c) => {
      c.dead = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          c.client.connection.stream.destroy();
          resolve();
        }, graceMs);
      });
      await Promise.race([c.client.end().catch(() => {}), timeout]);
      clearTimeout(timer);
    }),
  );
}

export const postgresCollector: Collector<"postgres", PostgresTarget, PostgresData> = { kind: "postgres", probe: probePostgres };
