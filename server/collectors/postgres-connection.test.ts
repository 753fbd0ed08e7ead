import pg from "pg";
import { describe, expect, it } from "vitest";
import { connectionOptions, describePostgresError } from "./postgres-connection";

describe("connection options from a DSN", () => {
  it("takes host, port, user and database apart", () => {
    expect(connectionOptions("postgres://monitor@10.0.1.40:5432/postgres")).toEqual({ host: "10.0.1.40", port: 5432, user: "monitor", database: "postgres", ssl: false });
    expect(connectionOptions("postgresql://mon%40x@[::1]/app%20db")).toEqual({ host: "::1", port: 5432, user: "mon@x", database: "app db", ssl: false });
    expect(connectionOptions("postgres://monitor@localhost/postgres?host=/var/run/postgresql&port=5433")).toMatchObject({ host: "/var/run/postgresql", port: 5433 });
  });

  it("maps sslmode", () => {
    expect(connectionOptions("postgres://m@h/db?sslmode=require").ssl).toEqual({ rejectUnauthorized: false });
    expect(connectionOptions("postgres://m@h/db?sslmode=verify-full").ssl).toBe(true);
    expect(connectionOptions("postgres://m@h/db?sslmode=disable").ssl).toBe(false);
  });
});

describe("safe error descriptions", () => {
  const live = new AbortController().signal;
  const dbError = (code: string | undefined, message: string) => Object.assign(new pg.DatabaseError(message, 0, "error"), { code });

  it("uses fixed phrases by SQLSTATE, never the server's text", () => {
    const e = dbError("28P01", 'password authentication failed for user "postgres" s3cret');
    expect(describePostgresError(e, live, performance.now(), "connect h:1")).toBe("authentication failed (wrong user or password) (connect h:1)");
    expect(describePostgresError(dbError("XX000", "internal error: s3cret"), live, performance.now())).toBe("server error XX000");
  });

  it("names a peer that is not PostgreSQL, a closed connection and the deadline", () => {
    expect(describePostgresError(dbError(undefined, "received invalid response: 58"), live, performance.now())).toBe("not a PostgreSQL server (unexpected reply)");
    expect(describePostgresError(new Error("Connection terminated unexpectedly"), live, performance.now())).toBe("connection closed by the server");
    expect(describePostgresError(new Error("postgres://u:s3cret@h/db is down"), live, performance.now())).toBe("probe failed");
    expect(describePostgresError(new Error("x"), AbortSignal.abort(), performance.now())).toMatch(/^no answer within the deadline/);
  });
});
