import "server-only";
import type { Store } from "@/server/store";

/** Stored history: lag and latency series for charts, and status transitions. */

export const RANGES = { "5m": 5 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "30d": 30 * 86_400_000 } as const;
export type Range = keyof typeof RANGES;

export async function series(store: Store, q: { subject: string; metric: string; range: Range; maxPoints?: number }, now: number) {
  const from = now - RANGES[q.range];
  const points = await store.series({ subject: q.subject, metric: q.metric, from, to: now, maxPoints: q.maxPoints ?? 1000, now });
  return { subject: q.subject, metric: q.metric, range: q.range, from, to: now, points };
}

export function transitions(store: Store, q: { subject?: string; since?: number; limit: number }) {
  return store.transitions({ subject: q.subject, since: q.since, limit: q.limit });
}

export function events(store: Store, q: { targetId?: string; since?: number; limit: number }) {
  return store.events({ targetId: q.targetId, since: q.since, limit: q.limit });
}
