import path from "node:path";
import { describe, expect, it } from "vitest";
import { monitoredMatch, storeTargetFromEnv } from "./options";

describe("storeTargetFromEnv", () => {
  it("defaults to embedded PGlite in .data/store under the working directory", () => {
    expect(storeTargetFromEnv({}, "/srv/app")).toEqual({ backend: "pglite", memory: false, dataDir: path.resolve("/srv/app/.data/store") });
  });

  it("takes HA_STORE_DIR, relative to the working directory or absolute", () => {
    expect(storeTargetFromEnv({ HA_STORE_DIR: "var/db" }, "/srv/app")).toMatchObject({ dataDir: path.resolve("/srv/app/var/db") });
    expect(storeTargetFromEnv({ HA_STORE_DIR: "/data/ha" }, "/srv/app")).toMatchObject({ dataDir: "/data/ha" });
  });

  it("HA_STORE_DIR=:memory: keeps nothing", () => {
    expect(storeTargetFromEnv({ HA_STORE_DIR: ":memory:" }, "/srv/app")).toEqual({ backend: "pglite", memory: true });
  });

  it("HA_STORE_URL selects PostgreSQL and wins over HA_STORE_DIR", () => {
    const url = "postgres://ha@store.internal:5432/ha_control";
    expect(storeTargetFromEnv({ HA_STORE_URL: url, HA_STORE_DIR: "x" }, "/srv/app")).toEqual({ backend: "postgres", url });
  });

  it("refuses a URL that is not postgres:// without echoing it", () => {
    const secret = "mysql://root:hunter2@db/x";
    expect(() => storeTargetFromEnv({ HA_STORE_URL: secret }, "/")).toThrow(/must be a postgres/);
    try {
      storeTargetFromEnv({ HA_STORE_URL: secret }, "/");
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
  });
});

describe("monitoredMatch", () => {
  const monitored = ["postgres://monitor@10.0.1.40:5432/postgres", "postgres://monitor@10.0.1.41:5433/postgres"];

  it("finds a store URL on a monitored server, whatever the database", () => {
    expect(monitoredMatch("postgres://ha:pw@10.0.1.41:5433/ha_control", monitored)).toBe(1);
    expect(monitoredMatch("postgresql://ha@10.0.1.40/other", monitored)).toBe(0);
  });

  it("accepts a separate server", () => {
    expect(monitoredMatch("postgres://ha@10.0.9.9:5432/ha_control", monitored)).toBe(-1);
    expect(monitoredMatch("postgres://ha@10.0.1.40:6432/ha_control", monitored)).toBe(-1);
  });
});
