import { Webhook } from "standardwebhooks";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-signature` is
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` per secret, space-separated, so a receiver
 * holding either the old or the new secret verifies during a rotation. The spec's own library signs,
 * so what receivers verify with is what signed.
 */

export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature"?: string;
}

/** A notification's stable id: the same on every re-send, so a receiver drops duplicates by it. */
export function newWebhookId(uuid: string): string {
  return `msg_${uuid}`;
}

/** Headers for one attempt: the timestamp is the attempt's own (receivers reject old ones). */
export function signatureHeaders(webhookId: string, body: string, secrets: readonly string[], at: Date): WebhookHeaders {
  const headers: WebhookHeaders = { "webhook-id": webhookId, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)) };
  if (secrets.length > 0) headers["webhook-signature"] = secrets.map((s) => new Webhook(s).sign(webhookId, at, body)).join(" ");
  return headers;
}
