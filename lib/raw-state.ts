import type { RouterOutputs } from "@/lib/trpc/types";

/** The raw.state snapshot as the browser receives it. */
export type RawState = RouterOutputs["raw"]["state"];
export type ClusterState = RawState["clusters"][number];
export type SentinelGroupState = RawState["sentinels"][number];
export type RedisState = RawState["redis"][number];
export type HaproxyState = RawState["haproxy"][number];
export type VrrpState = RawState["vrrp"][number];
export type HttpCheckState = RawState["http"][number];
export type TcpCheckState = RawState["tcp"][number];
export type MarketDataState = RawState["marketData"][number];
