import type { StatusRow } from "../postgres-sql";

/** Status rows as a primary and a standby return them, for the postgres collector's tests. */

export const PRIMARY_ROW: StatusRow = {
  in_recovery: false,
  backend_pid: 4242,
  server_version: 150018,
  timeline: 3,
  current_lsn: "0/4048808",
  receive_lsn: null,
  replay_lsn: null,
  replay_gap_bytes: null,
  replay_lag_seconds: null,
  last_replay_at: null,
  replay_paused: false,
  wal_receiver: null,
  // As json_agg returns it (as seen in the lab: pg3's replay paused ~3 MB behind; time lags NULL when idle).
  replication: [
    { applicationName: "pg1", clientAddr: "127.0.0.1", state: "streaming", syncState: "sync", sendLagBytes: 0, writeLagBytes: 0, flushLagBytes: 0, replayLagBytes: 0, writeLagSeconds: 0.000103, flushLagSeconds: 0.000956, replayLagSeconds: 0.001125 },
    { applicationName: "pg3", clientAddr: "127.0.0.1", state: "streaming", syncState: "async", sendLagBytes: 0, writeLagBytes: 0, flushLagBytes: 0, replayLagBytes: 2966944, writeLagSeconds: null, flushLagSeconds: null, replayLagSeconds: 3.029381 },
  ],
};

export const STANDBY_ROW: StatusRow = {
  in_recovery: true,
  backend_pid: 4243,
  server_version: 150018,
  timeline: 3,
  current_lsn: null,
  receive_lsn: "0/4021DB8",
  replay_lsn: "0/4021DB8",
  replay_gap_bytes: 0,
  replay_lag_seconds: 0,
  last_replay_at: new Date("2026-11-25T18:45:52.925Z"),
  replay_paused: false,
  wal_receiver: { status: "streaming", senderHost: "127.0.0.1", senderPort: 5441, slotName: "pg3" },
  replication: [],
};
