/**
 * The SLA models: pure functions from stored transitions, monitor runs, maintenance windows and `now`
 * to what the pages show (budgets, reports, the wall). No I/O and no clock; ../service.ts reads the
 * store and calls these, and the maths itself is the core in ../ (budget, downtime, timeline, ...).
 */
export * from "./subjects";
export * from "./report-period";
export * from "./maintenance";
export * from "./timelines";
export * from "./incidents";
export * from "./budgets";
export * from "./report";
export * from "./wall";
export * from "./rto";
