/**
 * The lab driver: `npm run lab -- <verb> [target]`.
 *   up | down | status | is-up
 *   kill | stop | resume | start  <component>   (SIGKILL, freeze with SIGSTOP, SIGCONT, start again)
 *   drain | undrain  <ka1|ka2>                  (move VIPs away from a keepalived node at runtime)
 *   replay-pause on|off [pgN]                   (Patroni paused, WAL replay paused on a standby, default the sync one; writes on the primary)
 *   maxmemory on|off [redisN]                   (maxmemory just above used_memory, default on the master: > 90 %)
 *   redis-two-masters [off]                     (kill the master, let Sentinel fail over, restart the old one as a master)
 *   latency risk <ms>|off                       (the latency proxy holds each request to the risk engine ms)
 *   partition on|off                            (the keepalived nodes stop hearing each other: both MASTER)
 * Components: etcd1..etcd3 (etcd: every member at once), pg1..pg3 (a whole node), pgN-patroni, pgN-postgres, redis1, redis2, sentinel1..3,
 * haproxy, ka1, ka2 (keepalived), ka1-app, ka2-app (the node's health-checked app), te1, te2, oms, risk,
 * feeder, oidc (the OpenID provider); aliases resolved at the time: leader, sync, replica, redis-master, redis-replica, vrrp-master.
 */
import { DAEMON_NAMES, anyLabProcess, down, drain, fault, partition, status, up } from "./lab";
import { LATENCY_TARGETS, latency, maxmemory, redisTwoMasters, replayPause } from "./lab";

const USAGE = `usage: npm run lab -- <up|down|status|kill|stop|resume|start|drain|undrain|partition> [target|on|off]
targets: ${DAEMON_NAMES.join(", ")}, etcd (every member), pgN-patroni, pgN-postgres,
         leader, sync, replica, redis-master, redis-replica, vrrp-master
       npm run lab -- replay-pause on|off [pgN]   (lag: Patroni paused, replay paused on a standby, writes on the primary)
       npm run lab -- maxmemory on|off [redisN]   (Redis maxmemory just above used memory, default the master)
       npm run lab -- redis-two-masters [off]     (kill the master, fail over, restart the old one as a master)
       npm run lab -- latency <${Object.keys(LATENCY_TARGETS).join("|")}> <ms|off>   (a slow path in front of the target)`;

async function main(argv: string[]): Promise<number> {
  const [verb, target] = argv;
  switch (verb) {
    case "up":
      await up();
      return 0;
    case "down":
      await down();
      return 0;
    case "is-up": // exit 0 when any lab process runs (scripts use it)
      return anyLabProcess() ? 0 : 1;
    case "status":
      console.log(await status());
      return 0;
    case "kill":
    case "stop":
    case "resume":
    case "start":
      if (!target) break;
      console.log(await fault(verb, target));
      return 0;
    case "drain":
    case "undrain":
      if (!target) break;
      console.log(drain(target, verb === "drain"));
      return 0;
    case "replay-pause":
    case "maxmemory":
      if (target !== "on" && target !== "off") break;
      console.log(await (verb === "replay-pause" ? replayPause : maxmemory)(target === "on", argv[2]));
      return 0;
    case "redis-two-masters":
      if (target !== undefined && target !== "on" && target !== "off") break;
      console.log(await redisTwoMasters(target !== "off"));
      return 0;
    case "latency": {
      const ms = argv[2] === "off" ? "off" : Number(argv[2]);
      if (!target || argv[2] === undefined) break;
      console.log(latency(target, ms));
      return 0;
    }
    case "partition":
      if (target !== "on" && target !== "off") break;
      console.log(partition(target === "on"));
      return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
