/**
 * The writer lease and fencing: which dashboard instance may write to a shared control store. One
 * row (`writer_lease`), every time read from the database's clock so instances with skewed clocks
 * agree. A takeover bumps the epoch; a write transaction opened with `fencedTransaction(store, epoch)`
 * is refused by the database (SQLSTATE HAF01) once a newer epoch exists, so a writer that was paused
 * past its lease and wakes up cannot write a single row.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { AppError, parseInput } from "../errors";
import { pgError } from "./actions";
import { storeDb, withTransaction, type Store } from "./store";

export const FENCED_SQLSTATE = "HAF01";

export interface WriterLease {
  epoch: number;
  holder: string;
  acquiredAt: number;
  renewedAt: number;
  expiresAt: number;
  /** The database's clock when the lease was read. */
  dbNow: number;
}

export type AcquireResult = { acquired: true; lease: WriterLease } | { acquired: false; lease: WriterLease };

const LeaseInput = z.object({
  holder: z.string().min(1).max(200),
  leaseMs: z.number().int().min(100).max(600_000),
});

type Row = { epoch: string | number; holder: string; acquired_at: Date | string; renewed_at: Date | string; expires_at: Date | string; db_now: Date | string };
const ms = (d: Date | string) => (d instanceof Date ? d.getTime() : Date.parse(d));
const toLease = (r: Row): WriterLease => ({
  epoch: Number(r.epoch),
  holder: r.holder,
  acquiredAt: ms(r.acquired_at),
  renewedAt: ms(r.renewed_at),
  expiresAt: ms(r.expires_at),
  dbNow: ms(r.db_now),
});

async function rows(store: Store, q: ReturnType<typeof sql>): Promise<Row[]> {
  const res = (await storeDb(store).execute(q)) as unknown as { rows: Row[] };
  return res.rows;
}

/**
 * Takes the lease when nobody holds it, it has expired, or `holder` holds it already (then it is a
 * renewal and the epoch stays). A takeover from another holder bumps the epoch, and waits for that
 * holder's write transactions that passed the fence to end.
 */
export async function acquireWriterLease(store: Store, input: { holder: string; leaseMs: number }): Promise<AcquireResult> {
  const { holder, leaseMs } = parseInput(LeaseInput, input, { what: "writer lease" });
  const interval = `${leaseMs} milliseconds`;
  const taken = await rows(
    store,
    sql`insert into writer_lease as l (id, epoch, holder, acquired_at, renewed_at, expires_at)
        values (1, 1, ${holder}, clock_timestamp(), clock_timestamp(), clock_timestamp() + ${interval}::interval)
        on conflict (id) do update set
          epoch = case when l.holder = excluded.holder then l.epoch else l.epoch + 1 end,
          holder = excluded.holder,
          acquired_at = case when l.holder = excluded.holder then l.acquired_at else clock_timestamp() end,
          renewed_at = clock_timestamp(),
          expires_at = clock_timestamp() + ${interval}::interval
        where l.holder = excluded.holder or l.expires_at < clock_timestamp()
        returning epoch, holder, acquired_at, renewed_at, expires_at, clock_timestamp() as db_now`,
  );
  if (taken[0]) return { acquired: true, lease: toLease(taken[0]) };
  const current = await readWriterLease(store);
  if (!current) throw new AppError("UNAVAILABLE", "writer lease: neither taken nor present; try again");
  return { acquired: false, lease: current };
}

/** Extends the lease if `holder` still holds `epoch`; false when it was taken over (step down). */
export async function renewWriterLease(store: Store, input: { holder: string; epoch: number; leaseMs: number }): Promise<WriterLease | null> {
  const { holder, leaseMs } = parseInput(LeaseInput, input, { what: "writer lease" });
  const epoch = parseInput(z.number().int().positive(), input.epoch, { what: "writer lease epoch" });
  const r = await rows(
    store,
    sql`update writer_lease set renewed_at = clock_timestamp(), expires_at = clock_timestamp() + ${`${leaseMs} milliseconds`}::interval
        where id = 1 and holder = ${holder} and epoch = ${epoch}
        returning epoch, holder, acquired_at, renewed_at, expires_at, clock_timestamp() as db_now`,
  );
  return r[0] ? toLease(r[0]) : null;
}

/** Gives the lease up at once (a clean shutdown), so a follower need not wait for it to expire. */
export async function releaseWriterLease(store: Store, input: { holder: string; epoch: number }): Promise<boolean> {
  const r = await rows(
    store,
    sql`update writer_lease set expires_at = clock_timestamp() - interval '1 millisecond'
        where id = 1 and holder = ${input.holder} and epoch = ${input.epoch} returning epoch, holder, acquired_at, renewed_at, expires_at, clock_timestamp() as db_now`,
  );
  return r.length > 0;
}

export async function readWriterLease(store: Store): Promise<WriterLease | null> {
  const r = await rows(store, sql`select epoch, holder, acquired_at, renewed_at, expires_at, clock_timestamp() as db_now from writer_lease where id = 1`);
  return r[0] ? toLease(r[0]) : null;
}

/** The write was refused: a newer writer exists. The caller steps down. */
export class FencedError extends Error {
  constructor(
    readonly epoch: number,
    message: string,
  ) {
    super(message);
    this.name = "FencedError";
  }
}

/**
 * `fn` in one transaction that the database refuses, before anything is written, when `epoch` is no
 * longer the lease's. Throws FencedError then; other errors pass through.
 */
export async function fencedTransaction<T>(store: Store, epoch: number, fn: (tx: Store) => Promise<T>): Promise<T> {
  try {
    return await withTransaction(store, async (tx) => {
      await storeDb(tx).execute(sql`select ha_fence(${epoch}::bigint)`);
      return fn(tx);
    });
  } catch (e) {
    if (pgError(e).code === FENCED_SQLSTATE) throw new FencedError(epoch, messageOf(e));
    throw e;
  }
}

function messageOf(e: unknown): string {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === "object" && depth < 5; depth++) {
    const m = (cur as { message?: unknown }).message;
    if (typeof m === "string" && m.includes("fenced:")) return m.slice(m.indexOf("fenced:"));
    cur = (cur as { cause?: unknown }).cause;
  }
  return "fenced: a newer writer holds the lease";
}
