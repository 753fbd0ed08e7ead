import { describe, expect, it } from "vitest";
import { lsnDiff, parseLsn, toPostgresData, toReplicationRows } from "./postgres-sql";
import { PRIMARY_ROW, STANDBY_ROW } from "./testing/postgres-rows";

describe("postgres row mapping", () => {
  it("maps a primary: current LSN, replication rows, no standby part", () => {
    const d = toPostgresData("pg2", PRIMARY_ROW, 12.5);
    expect(d).toMatchObject({ node: "pg2", inRecovery: false, timeline: 3, serverVersion: 150018, connectMs: 12.5, currentLsn: "0/4048808", standby: null });
    expect(d.replication).toEqual([
      { applicationName: "pg1", clientAddr: "127.0.0.1", state: "streaming", syncState: "sync", sendLagBytes: 0, writeLagBytes: 0, flushLagBytes: 0, replayLagBytes: 0, writeLagSeconds: 0.000103, flushLagSeconds: 0.000956, replayLagSeconds: 0.001125 },
      { applicationName: "pg3", clientAddr: "127.0.0.1", state: "streaming", syncState: "async", sendLagBytes: 0, writeLagBytes: 0, flushLagBytes: 0, replayLagBytes: 2966944, writeLagSeconds: null, flushLagSeconds: null, replayLagSeconds: 3.029381 },
    ]);
  });

  it("maps a standby: receive/replay, lag, WAL receiver; never a current LSN", () => {
    const d = toPostgresData("pg3", { ...STANDBY_ROW, current_lsn: "0/1" }, 0);
    expect(d.currentLsn).toBeNull();
    expect(d.replication).toEqual([]);
    expect(d.standby).toEqual({
      receiveLsn: "0/4021DB8",
      replayLsn: "0/4021DB8",
      replayGapBytes: 0,
      replayLagSeconds: 0,
      lastReplayAt: "2026-11-25T18:45:52.925Z",
      replayPaused: false,
      walReceiver: { status: "streaming", senderHost: "127.0.0.1", senderPort: 5441, slotName: "pg3" },
    });
  });

  it("keeps NULLs null and a missing WAL receiver null (standby whose primary is gone)", () => {
    const d = toPostgresData("pg3", { ...STANDBY_ROW, wal_receiver: null, replay_lag_seconds: null, last_replay_at: null, replay_paused: null }, 0);
    expect(d.standby).toMatchObject({ walReceiver: null, replayLagSeconds: null, lastReplayAt: null, replayPaused: false });
  });

  it("reads numbers sent as numeric text and tolerates junk in replication rows", () => {
    expect(toReplicationRows("nope")).toEqual([]);
    const [row] = toReplicationRows([{ applicationName: "pg2", sendLagBytes: "1024", writeLagBytes: "x", replayLagSeconds: "0.5", clientAddr: null }]);
    expect(row).toEqual({
      applicationName: "pg2", clientAddr: null, state: "", syncState: "",
      sendLagBytes: 1024, writeLagBytes: null, flushLagBytes: null, replayLagBytes: null,
      writeLagSeconds: null, flushLagSeconds: null, replayLagSeconds: 0.5,
    });
  });
});

describe("LSN helpers", () => {
  it("parses pg_lsn text into bytes", () => {
    expect(parseLsn("0/0")).toBe(0n);
    expect(parseLsn("0/4021DB8")).toBe(0x4021db8n);
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn("FFFFFFFF/FFFFFFFF")).toBe((1n << 64n) - 1n);
    for (const bad of [null, undefined, "", "0/", "x/1", "1/2/3", "123456789/0"]) expect(parseLsn(bad)).toBeNull();
  });

  it("computes pg_wal_lsn_diff across the 4 GB boundary", () => {
    expect(lsnDiff("1/0", "0/FFFFFFFF")).toBe(1);
    expect(lsnDiff("0/4048808", "0/4021DB8")).toBe(0x4048808 - 0x4021db8);
    expect(lsnDiff("0/10", "0/20")).toBe(-16);
    expect(lsnDiff(null, "0/1")).toBeNull();
  });
});
