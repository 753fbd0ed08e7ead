/** The SLA core: pure maths over transitions, monitor runs and `now` (see README.md). */
export * from "./budget";
export * from "./burn";
export * from "./compose";
export * from "./downtime";
export * from "./failover-cost";
export * from "./failover-link";
export * from "./period";
export * from "./policy";
export * from "./timeline";
export * from "./failure-mode";
export * from "./rto";
