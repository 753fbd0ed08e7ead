import { describe, expect, it } from "vitest";
import type { AlertLabels } from "@/lib/alerts";
import { postableAlerts, slackMessage, titleOf, webhookV4, ZERO_TIME, type PayloadAlert } from "./payload";

const T = Date.UTC(2026, 11, 7, 12, 0, 0);
const a = (fp: string, status: "firing" | "resolved", labels: Record<string, string>, endsAt: number | null = null): PayloadAlert => ({
  fingerprint: fp,
  status,
  labels: { alertname: "ComponentDown", severity: "critical", cluster: "main", ...labels } as AlertLabels,
  annotations: { summary: `${labels.component} is DOWN`, description: "no primary", runbook: "same" },
  path: "/clusters/main",
  startsAt: T,
  endsAt,
});

const input = {
  receiver: "noc",
  groupKey: '{}:{alertname="ComponentDown"}',
  groupLabels: { alertname: "ComponentDown" },
  externalURL: "https://noc.example.com/",
  alerts: [a("0000000000000001", "firing", { component: "db" }), a("0000000000000002", "resolved", { component: "db-replica" }, T + 90_000)],
};

describe("Alertmanager webhook format version 4", () => {
  it("has every field Alertmanager sends, with common labels and annotations", () => {
    expect(webhookV4(input)).toEqual({
      version: "4",
      groupKey: '{}:{alertname="ComponentDown"}',
      truncatedAlerts: 0,
      status: "firing",
      receiver: "noc",
      groupLabels: { alertname: "ComponentDown" },
      commonLabels: { alertname: "ComponentDown", severity: "critical", cluster: "main" },
      commonAnnotations: { description: "no primary", runbook: "same" },
      externalURL: "https://noc.example.com/",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "ComponentDown", severity: "critical", cluster: "main", component: "db" },
          annotations: { summary: "db is DOWN", description: "no primary", runbook: "same" },
          startsAt: "2026-12-07T12:00:00.000Z",
          endsAt: ZERO_TIME,
          generatorURL: "https://noc.example.com/clusters/main",
          fingerprint: "0000000000000001",
        },
        expect.objectContaining({ status: "resolved", endsAt: "2026-12-07T12:01:30.000Z" }),
      ],
    });
  });

  it("is resolved when every alert is", () => {
    expect(webhookV4({ ...input, alerts: [input.alerts[1]!] }).status).toBe("resolved");
  });
});

describe("Slack incoming-webhook body", () => {
  it("has a text line and an attachment per alert, linked to its page", () => {
    const m = slackMessage(input);
    expect(m.text).toBe("[FIRING] 1 firing, 1 resolved: ComponentDown db, ComponentDown db-replica");
    expect(m.attachments.map((x) => [x.color, x.title, x.title_link])).toEqual([
      ["danger", "CRITICAL: db is DOWN", "https://noc.example.com/clusters/main"],
      ["good", "RESOLVED: db-replica is DOWN", "https://noc.example.com/clusters/main"],
    ]);
    expect(m.attachments[0]!.fields).toContainEqual({ title: "component", value: "db", short: true });
  });
});

describe("Alertmanager API v2 postable alerts", () => {
  it("firing alerts end a few re-send intervals ahead, resolved ones at their end", () => {
    expect(postableAlerts(input.alerts, "https://noc.example.com", T + 240_000)).toEqual([
      { labels: input.alerts[0]!.labels, annotations: input.alerts[0]!.annotations, startsAt: "2026-12-07T12:00:00.000Z", endsAt: "2026-12-07T12:04:00.000Z", generatorURL: "https://noc.example.com/clusters/main" },
      expect.objectContaining({ endsAt: "2026-12-07T12:01:30.000Z" }),
    ]);
  });

  it("titles count and name the alerts", () => {
    expect(titleOf([input.alerts[0]!])).toBe("1 firing: ComponentDown db");
  });
});
