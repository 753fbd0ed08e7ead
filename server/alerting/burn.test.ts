import { describe, expect, it } from "vitest";
import { SRE_WORKBOOK_RULES, type BurnAlert, type BurnFigure } from "@/server/sla/burn";
import { burnAlerts, knownEnough, type ComponentSlaFigures } from "./burn";

const NOW = 1_800_000_000_000;
const [fast, , slow] = SRE_WORKBOOK_RULES;

function fig(windowMs: number, knownMs: number, burnRate: number): BurnFigure {
  return { windowMs, from: NOW - windowMs, to: NOW, downMs: 0, knownMs, unknownMs: windowMs - knownMs, downFraction: null, burnRate };
}
function alert(rule = fast!, knownShare = 1, firing = true): BurnAlert {
  return { rule, long: fig(rule.longWindowMs, rule.longWindowMs * knownShare, 20), short: fig(rule.shortWindowMs, rule.shortWindowMs * knownShare, 20), firing };
}
const db = (burn: BurnAlert[], month: ComponentSlaFigures["month"] = null): ComponentSlaFigures => ({ id: "database", name: "Database", burn, month });

describe("burn-rate alerts", () => {
  it("fire for a firing page rule as critical and a ticket rule as warning, labelled by component and rule", () => {
    const out = burnAlerts({ at: NOW, components: [db([alert(fast), alert(slow)])] }, 50, NOW);
    expect(out.map((a) => a.labels)).toEqual([
      { alertname: "SlaBurnRate", severity: "critical", component: "database", window: "fast burn" },
      { alertname: "SlaBurnRate", severity: "warning", component: "database", window: "slow burn" },
    ]);
    expect(out[0]).toMatchObject({ path: "/sla", source: "burn", startsAt: NOW });
    expect(out[0]!.annotations.description).toBe("Database spent its error budget at least 14.4× faster than its SLA allows over both the last 1h and the last 5m");
  });

  it("stay quiet for a rule that is not firing", () => {
    expect(burnAlerts({ at: NOW, components: [db([alert(fast, 1, false)])] }, 50, NOW)).toEqual([]);
  });

  it("need the minimum known time in BOTH windows: a fresh store cannot page on a blip", () => {
    const fresh: BurnAlert = { ...alert(fast), long: fig(fast!.longWindowMs, 10 * 60_000, 100) };
    expect(burnAlerts({ at: NOW, components: [db([fresh])] }, 50, NOW)).toEqual([]);
    const gapInShort: BurnAlert = { ...alert(fast), short: fig(fast!.shortWindowMs, 60_000, 100) };
    expect(burnAlerts({ at: NOW, components: [db([gapInShort])] }, 50, NOW)).toEqual([]);
    expect(burnAlerts({ at: NOW, components: [db([alert(fast, 0.5)])] }, 50, NOW)).toHaveLength(1);
    expect(burnAlerts({ at: NOW, components: [db([alert(fast, 0.5)])] }, 51, NOW)).toEqual([]);
  });

  it("knownEnough compares known time with the share of the window", () => {
    expect(knownEnough(fig(1000, 500, 1), 50)).toBe(true);
    expect(knownEnough(fig(1000, 499, 1), 50)).toBe(false);
    expect(knownEnough(fig(1000, 0, 1), 0)).toBe(true);
  });

  it("raise SlaBudgetExhausted when this month's budget is used up, not before, and not for a budget never spent", () => {
    const exhausted = burnAlerts({ at: NOW, components: [db([], { allowedMs: 259_000, usedMs: 300_000, remainingMs: -41_000 })] }, 50, NOW);
    expect(exhausted).toEqual([
      {
        labels: { alertname: "SlaBudgetExhausted", severity: "critical", component: "database", window: "month" },
        annotations: { summary: "Database has used up this month's error budget", description: "Database has used up this month's error budget of 4m 19s: any further downtime breaks its SLA" },
        path: "/sla",
        source: "burn",
        startsAt: NOW,
      },
    ]);
    expect(burnAlerts({ at: NOW, components: [db([], { allowedMs: 259_000, usedMs: 200_000, remainingMs: 59_000 })] }, 50, NOW)).toEqual([]);
    expect(burnAlerts({ at: NOW, components: [db([], { allowedMs: 0, usedMs: 0, remainingMs: 0 })] }, 50, NOW)).toEqual([]);
  });
});
