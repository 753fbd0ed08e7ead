import pg from "pg";
import type { Secret } from "@/server/config/load";
import { Defaults } from "@/server/config/fields";
import type { PostgresTarget } from "./postgres";
import { describeError } from "./util";

/**
 * Connections of the postgres collector: pg.Client options from a node's DSN, one cached connection
 * per node (reused across polls, dropped when it breaks or its settings change), and browser-safe
 * error descriptions by SQLSTATE.
 */

export const APPLICATION_NAME = "ha-control-room";

/** statement_timeout when the cluster sets no timeoutMs: the schema's default deadline. */
const DEFAULT_TIMEOUT_MS = Defaults.parse({}).timeoutMs;
/** pg's own connect timer, a backstop only: the caller's AbortSignal is the real deadline. */
const HARD_CONNECT_TIMEOUT_MS = 10_000;

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

export interface Conn {
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
export function destroy(conn: Conn): void {
  conn.dead = true;
  if (conns.get(conn.key) === conn) conns.delete(conn.key);
  conn.client.connection.stream.destroy();
}

function forget(conn: Conn): void {
  conn.dead = true;
  if (conns.get(conn.key) === conn) conns.delete(conn.key);
}

/** The cached connection if it is healthy, idle and made with the same settings. */
export function checkout(t: PostgresTarget): Conn | undefined {
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
export function checkin(conn: Conn): void {
  conn.busy = false;
  if (conn.dead || conns.get(conn.key) === conn) return;
  conn.dead = true;
  conn.client.end().catch(() => {});
}

/** Settles with `work`, or rejects as soon as `signal` aborts, destroying the connection so `work` ends too. */
export function bounded<T>(conn: Conn, work: Promise<T>, signal: AbortSignal): Promise<T> {
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

export async function open(t: PostgresTarget, signal: AbortSignal): Promise<Conn> {
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

/**
 * The connection is unusable: a socket or protocol failure, or a FATAL the server ended the session with
 * (57P01 on shutdown or pg_terminate_backend). An ERROR (statement timeout, permission) leaves it usable.
 */
export const brokenBy = (e: unknown) =>
  !(e instanceof pg.DatabaseError) || e.severity === "FATAL" || e.severity === "PANIC" || e.message.startsWith("received invalid response");

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
