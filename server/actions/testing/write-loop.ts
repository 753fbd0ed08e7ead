/**
 * A writer through HAProxy's read-write frontend, for the lab tests and the switchover benchmark:
 * autocommit inserts with increasing ids; a failed id is retried (ON CONFLICT DO NOTHING, so a commit
 * whose acknowledgement was lost is not counted twice); a client watchdog drops a connection whose
 * statement hangs. Afterwards every acknowledged id must exist on the new primary.
 */
import pg from "pg";

export interface Ack {
  id: number;
  /** Wall-clock ms when the acknowledgement arrived. */
  at: number;
  /** The PostgreSQL port that acknowledged it (inet_server_port(): which node HAProxy reached). */
  port: number;
}

export interface WriteLoopOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  table?: string;
  /** A statement with no answer within this is treated as failed (the connection is dropped). Default 3000 ms. */
  statementTimeoutMs?: number;
}

export class WriteLoop {
  readonly acks: Ack[] = [];
  errors = 0;
  private stopped = false;
  private done: Promise<void> | null = null;
  private client: pg.Client | null = null;
  private readonly table: string;

  constructor(private readonly o: WriteLoopOptions) {
    this.table = o.table ?? "hacr_failover_writes";
  }

  private async connect(): Promise<pg.Client> {
    const c = new pg.Client({
      host: this.o.host, port: this.o.port, user: this.o.user, password: this.o.password, database: this.o.database ?? "postgres",
      connectionTimeoutMillis: 2_000, query_timeout: this.o.statementTimeoutMs ?? 3_000, application_name: "hacr-write-loop",
    });
    c.on("error", () => {});
    await c.connect();
    return c;
  }

  /** Creates the table (on the current primary) and starts writing. */
  async start(): Promise<void> {
    const c = await this.connect();
    try {
      await c.query(`create table if not exists ${this.table} (id bigint primary key, at timestamptz not null default now(), port int not null)`);
      await c.query(`truncate ${this.table}`);
    } finally {
      await c.end().catch(() => {});
    }
    this.done = this.run();
  }

  private async run(): Promise<void> {
    let id = 1;
    while (!this.stopped) {
      try {
        this.client ??= await this.connect();
        const r = await this.client.query<{ port: number }>(
          `insert into ${this.table} (id, port) values ($1, inet_server_port()) on conflict (id) do nothing returning inet_server_port() as port`,
          [id],
        );
        // An empty RETURNING is the retry of a commit whose ACK was lost: it is in, on this server.
        const port = r.rows[0]?.port ?? (await this.client.query<{ port: number }>("select inet_server_port() as port")).rows[0]!.port;
        this.acks.push({ id, at: Date.now(), port });
        id++;
      } catch {
        this.errors++;
        const c = this.client;
        this.client = null;
        c?.connection.stream.destroy();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    await this.client?.end().catch(() => {});
    this.client = null;
  }

  /** The first acknowledgement at or after `since` from the PostgreSQL on `port`. */
  firstAckOn(port: number, since: number): Ack | undefined {
    return this.acks.find((a) => a.at >= since && a.port === port);
  }

  /** Acknowledged ids missing from the table as the current primary (through the same frontend) has it. */
  async lost(): Promise<number[]> {
    const c = await this.connect();
    try {
      const r = await c.query<{ id: string }>(`select id from ${this.table}`);
      const have = new Set(r.rows.map((x) => Number(x.id)));
      return this.acks.filter((a) => !have.has(a.id)).map((a) => a.id);
    } finally {
      await c.end().catch(() => {});
    }
  }
}
