import type { NotificationResult } from "@/lib/alerts";

/**
 * Notification outcomes counted since the process started, for `ha_notifications_total`. Per process,
 * as Prometheus counters are: a restart starts them again at zero and rate() copes.
 */
const g = globalThis as unknown as { __hacrNotificationCounts?: Map<string, number> };
const counts = (g.__hacrNotificationCounts ??= new Map());

export function countNotification(receiver: string, result: NotificationResult, n = 1): void {
  const key = JSON.stringify([receiver, result]);
  counts.set(key, (counts.get(key) ?? 0) + n);
}

export function notificationCounts(): { receiver: string; result: NotificationResult; count: number }[] {
  return [...counts].map(([k, count]) => {
    const [receiver, result] = JSON.parse(k) as [string, NotificationResult];
    return { receiver, result, count };
  });
}
