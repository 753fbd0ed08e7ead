import "server-only";
import { randomUUID } from "node:crypto";
import { alertFingerprint, type AlertEvent, type AlertLabels } from "@/lib/alerts";
import type { Config } from "@/server/config/load";
import { AppError } from "@/server/errors";
import { enqueueAlertEvents } from "@/server/store/alerts";
import { insertAudit, type AuditActor } from "@/server/store/audit";
import { storeDb, withTransaction, type Store } from "@/server/store/store";

/**
 * An admin's test notification: a TestNotification alert for one receiver, put in the outbox with
 * its audit row in one transaction, so there is never a test sent that nobody is recorded as sending
 * (nor the other way round). The delivery worker sends it to that receiver only, bypassing routes.
 */

export interface QueuedTest {
  eventId: number;
  fingerprint: string;
  receiver: string;
  /** Unique per test (an annotation: the labels, and so the fingerprint, are the same every time). */
  testId: string;
  at: number;
}

export function testNotificationEvent(receiver: string, by: AuditActor, now: number, ttlMs: number, testId: string): AlertEvent {
  const labels: AlertLabels = { alertname: "TestNotification", severity: "info", receiver };
  return {
    fingerprint: alertFingerprint(labels),
    status: "firing",
    at: now,
    labels,
    annotations: {
      summary: `Test notification to ${receiver}`,
      description: `Sent by ${by.name} from the dashboard's Alerts page to check that ${receiver} receives alerts. No action needed.`,
      test_id: testId,
    },
    path: "/alerts",
    source: "test",
    startsAt: now,
    endsAt: null,
    // One-shot: it resolves by itself, like an action's outcome alert.
    expiresAt: now + ttlMs,
  };
}

export async function sendTestNotification(store: Store, config: Config, receiver: string, by: AuditActor, now: number, reason?: string | null): Promise<QueuedTest> {
  const alerting = config.alerting;
  if (!alerting) throw new AppError("PRECONDITION_FAILED", "No alerting: section in ha.config.yaml: add receivers and a route to send notifications");
  const target = alerting.receivers.find((r) => r.name === receiver);
  if (!target) throw new AppError("NOT_FOUND", `receiver: no receiver named "${receiver}"; expected one of ${alerting.receivers.map((r) => r.name).join(", ")}`);
  const testId = randomUUID();
  const event = testNotificationEvent(receiver, by, now, alerting.eventAlertTtlMs, testId);
  return withTransaction(store, async (tx) => {
    const [stored] = await enqueueAlertEvents(tx, [event]);
    await insertAudit(storeDb(tx), {
      actor: by,
      event: "alert_test",
      at: now,
      targetId: receiver,
      reason: reason?.trim() ? reason.trim().slice(0, 500) : null,
      detail: `test notification to ${target.type} receiver ${receiver} queued (alert event #${stored!.id}, test ${testId})`,
    });
    return { eventId: stored!.id, fingerprint: event.fingerprint, receiver, testId, at: now };
  });
}
