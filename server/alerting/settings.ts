import type { Config } from "@/server/config/load";

/** The `alerting:` section with its secrets resolved. */
export type AlertingConfig = NonNullable<Config["alerting"]>;
export type ReceiverConfig = AlertingConfig["receivers"][number];
export type WebhookReceiverConfig = Extract<ReceiverConfig, { type: "webhook" }>;
export type AlertmanagerReceiverConfig = Extract<ReceiverConfig, { type: "alertmanager" }>;

export type AlertingLog = (level: "debug" | "info" | "error", line: string) => void;

/** Where notification links point: alerting.externalURL, else auth.baseURL, else bare paths. */
export function externalURLOf(config: Pick<Config, "alerting" | "auth">): string {
  return config.alerting?.externalURL ?? config.auth.baseURL ?? "";
}

/** Alertmanager's alerts endpoint under its base URL. */
export function alertmanagerAlertsUrl(base: string): string {
  return new URL("api/v2/alerts", base.endsWith("/") ? base : `${base}/`).toString();
}
