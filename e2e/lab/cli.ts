/**
 * The lab driver: `npm run lab -- <verb> [target]`.
 *   up | down | status | is-up
 *   kill | stop | resume | start  <component>   (SIGKILL, freeze with SIGSTOP, SIGCONT, start again)
 *   drain | undrain  <ka1|ka2>                  (move VIPs away from a keepalived node at runtime)
 *   partition on|off                            (the keepalived nodes stop hearing each other: both MASTER)
 * Components: etcd1..etcd3 (etcd: every member at once), pg1..pg3 (a whole node), pgN-patroni, pgN-postgres, redis1, redis2, sentinel1..3,
 * haproxy, ka1, ka2 (keepalived), ka1-app, ka2-app (the node's health-checked app), te1, te2, oms, risk,
 * feeder, oidc (the OpenID provider); aliases resolved at the time: leader, sync, replica, redis-master, redis-replica, vrrp-master.
 */
import { DAEMON_NAMES, anyLabProcess, down, drain, fault, partition, status, up } from "./lab";

const USAGE = `usage: npm run lab -- <up|down|status|kill|stop|resume|start|drain|undrain|partition> [target|on|off]
targets: ${DAEMON_NAMES.join(", ")}, etcd (every member), pgN-patroni, pgN-postgres,
         leader, sync, replica, redis-master, redis-replica, vrrp-master`;

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
