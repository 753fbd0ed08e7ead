/** The lab driver's API (the CLI, the lab tests and the benchmarks use it); each job lives in its own file. */
export { DAEMON_NAMES, anyLabProcess, daemonPid, daemonPids, postmasterPid } from "./daemons";
export { drain, fault, partition, partitioned } from "./faults";
export { leftovers } from "./leftovers";
export { status } from "./status";
export { down, up } from "./verbs";
export { NETNS } from "./topology";
export { LATENCY_TARGETS, latency, maxmemory, redisTwoMasters, replayPause } from "./chaos-faults";
