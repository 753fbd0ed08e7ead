import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "@/server/config/load";
import { parseInfo, probeRedis, redisInfoData } from "./redis";
import { closeRedisClients } from "./redis-connection";
import { startRespServer, type RespServer } from "./testing/resp-server";
import type { RedisTarget } from "./types";

// INFO replication as Redis 7.0 prints it (recorded in the lab), plus INFO memory.
const MASTER_INFO = [
  "# Replication",
  "role:master",
  "connected_slaves:1",
  "slave0:ip=127.0.0.1,port=6392,state=online,offset=1642,lag=0",
  "master_failover_state:no-failover",
  "master_replid:5853c3aa",
  "master_repl_offset:1656",
  "second_repl_offset:-1",
  "repl_backlog_active:1",
  "",
  "# Memory",
  "used_memory:1048576",
  "maxmemory:0",
].join("\r\n");

const REPLICA_INFO = [
  "# Replication",
  "role:slave",
  "master_host:127.0.0.1",
  "master_port:6391",
  "master_link_status:up",
  "master_last_io_seconds_ago:0",
  "master_sync_in_progress:0",
  "slave_read_repl_offset:1656",
  "slave_repl_offset:1650",
  "slave_priority:100",
  "slave_read_only:1",
  "connected_slaves:0",
  "master_repl_offset:1650",
  "# Memory",
  "used_memory:2000",
  "maxmemory:4000",
].join("\r\n");

describe("INFO parsing", () => {
  it("reads a master's offsets and each replica's offset lag", () => {
    const d = redisInfoData(parseInfo(MASTER_INFO));
    expect(d).toMatchObject({
      role: "master",
      connectedReplicas: 1,
      masterReplOffset: 1656,
      masterLinkStatus: null,
      masterAddress: null,
      slaveReplOffset: null,
      usedMemory: 1048576,
      maxMemory: 0,
    });
    expect(d.replicas).toEqual([{ address: "127.0.0.1:6392", state: "online", offset: 1642, offsetLag: 14, lagSeconds: 0 }]);
  });

  it("reads a replica's link, offsets and last I/O", () => {
    expect(redisInfoData(parseInfo(REPLICA_INFO))).toMatchObject({
      role: "slave",
      masterAddress: "127.0.0.1:6391",
      masterLinkStatus: "up",
      masterLastIoSecondsAgo: 0,
      slaveReplOffset: 1650,
      slaveReadReplOffset: 1656,
      masterReplOffset: 1650,
      replicas: [],
      usedMemory: 2000,
      maxMemory: 4000,
    });
  });

  it("treats absent or malformed numbers as unknown", () => {
    const d = redisInfoData(parseInfo("role:master\r\nslave0:ip=::1,port=6380,state=wait_bgsave,offset=,lag=x\r\n"));
    expect(d.masterReplOffset).toBeNull();
    expect(d.replicas).toEqual([{ address: "[::1]:6380", state: "wait_bgsave", offset: null, offsetLag: null, lagSeconds: null }]);
  });
});

describe("redis collector against a scripted server", () => {
  let server: RespServer | undefined;
  afterEach(async () => {
    closeRedisClients();
    await server?.close();
  });

  it("reports PING latency, offsets and memory, reusing its connection", async () => {
    server = await startRespServer((args) => {
      if (args[0]?.toUpperCase() !== "INFO") return undefined;
      return args[1] === "replication" ? MASTER_INFO.split("# Memory")[0]! : `# Memory\r\n${MASTER_INFO.split("# Memory")[1]!}`;
    });
    const target: RedisTarget = { id: "r1", component: "cache", url: `redis://127.0.0.1:${server.port}`, password: new Secret("s3cret") };
    const first = await probeRedis(target, AbortSignal.timeout(1_000));
    const second = await probeRedis(target, AbortSignal.timeout(1_000));
    expect(first.ok && second.ok).toBe(true);
    expect(first.data).toMatchObject({ role: "master", masterReplOffset: 1656, usedMemory: 1048576, maxMemory: 0 });
    expect(first.data?.pingMs).toBeGreaterThanOrEqual(0);
    expect(second.data?.connectMs).toBe(0);
    expect(server.connections).toHaveLength(1);
    expect(server.commands.filter((c) => c[0] === "AUTH")).toEqual([["AUTH", "s3cret"]]);
  });
});
