import "server-only";
import type { TargetSection } from "@/server/config/schema";
import { haproxyCollector } from "./haproxy";
import { httpCollector } from "./http";
import { marketdataCollector } from "./marketdata";
import { patroniCollector } from "./patroni";
import { postgresCollector } from "./postgres";
import { redisCollector } from "./redis";
import { sentinelCollector } from "./sentinel";
import { tcpCollector } from "./tcp";
import { vrrpCollector } from "./vrrp";

/** Every collector, keyed by kind. */
export const collectors = {
  patroni: patroniCollector,
  postgres: postgresCollector,
  sentinel: sentinelCollector,
  redis: redisCollector,
  marketdata: marketdataCollector,
  haproxy: haproxyCollector,
  vrrp: vrrpCollector,
  http: httpCollector,
  tcp: tcpCollector,
} as const;

export type ProbeKind = keyof typeof collectors;

/** Which collector probes the targets of each config section; null: not collected yet. */
export const KIND_BY_SECTION = {
  clusters: "patroni",
  sentinels: "sentinel",
  redis: "redis",
  haproxy: "haproxy",
  vrrp: "vrrp",
  http: "http",
  tcp: "tcp",
  marketData: null,
} as const satisfies Record<TargetSection, ProbeKind | null>;

export type { Collector, ProbeResult } from "./types";
