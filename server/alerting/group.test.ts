import { describe, expect, it } from "vitest";
import type { AlertLabels } from "@/lib/alerts";
import { addToGroup, decide, type AlertChange, type GroupState } from "./group";
import type { Grouping } from "./route";

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const S = 1000;
const timing: Grouping = { groupBy: ["alertname"], groupWaitMs: 30 * S, groupIntervalMs: 300 * S, repeatIntervalMs: 4 * 3600 * S };
const KEY = { groupKey: '{}:{alertname="ComponentDown"}', routeKey: "{}", groupLabels: { alertname: "ComponentDown" } };

function change(fp: string, status: "firing" | "resolved", at: number): AlertChange {
  return {
    fingerprint: fp,
    status,
    labels: { alertname: "ComponentDown", severity: "critical", component: fp } as AlertLabels,
    annotations: { summary: fp, description: fp },
    path: "/",
    source: "status",
    startsAt: T0,
    endsAt: status === "resolved" ? at : null,
  };
}

/** Runs the group forward second by second, applying decisions; returns when notifications went out. */
function simulate(events: { at: number; fp: string; status: "firing" | "resolved" }[], until: number, sendResolved = true, t: Grouping = timing) {
  let g: GroupState | null = null;
  const sent: { at: number; alerts: string[] }[] = [];
  for (let now = T0; now <= until; now += S) {
    for (const e of events.filter((x) => x.at === now)) g = addToGroup(g, KEY, change(e.fp, e.status, now), now);
    if (!g) continue;
    const d = decide(g, t, sendResolved, now);
    if (d.kind === "notify" && d.alerts.length > 0) sent.push({ at: (now - T0) / S, alerts: d.alerts.map((a) => `${a.fingerprint}:${a.status}`) });
    g = d.next;
  }
  return { sent, group: g };
}

describe("aggregation group timing (Alertmanager's group_wait, group_interval, repeat_interval)", () => {
  it("waits group_wait from the group's creation, gathering what arrives meanwhile into one notification", () => {
    const { sent } = simulate(
      [
        { at: T0, fp: "a", status: "firing" },
        { at: T0 + 10 * S, fp: "b", status: "firing" },
      ],
      T0 + 60 * S,
    );
    expect(sent).toEqual([{ at: 30, alerts: ["a:firing", "b:firing"] }]);
  });

  it("a change after the first notification waits for group_interval since it", () => {
    const { sent } = simulate(
      [
        { at: T0, fp: "a", status: "firing" },
        { at: T0 + 40 * S, fp: "b", status: "firing" },
      ],
      T0 + 400 * S,
    );
    expect(sent).toEqual([
      { at: 30, alerts: ["a:firing"] },
      { at: 330, alerts: ["a:firing", "b:firing"] },
    ]);
  });

  it("repeats after repeat_interval while still firing, with no change", () => {
    const { sent } = simulate([{ at: T0, fp: "a", status: "firing" }], T0 + 5 * 3600 * S, true, { ...timing, repeatIntervalMs: 3600 * S });
    expect(sent.map((s) => s.at)).toEqual([30, 3630, 7230, 10830, 14430]);
  });

  it("sends a resolved alert once, then drops it; the group ends when nothing is left", () => {
    const { sent, group } = simulate(
      [
        { at: T0, fp: "a", status: "firing" },
        { at: T0, fp: "b", status: "firing" },
        { at: T0 + 100 * S, fp: "a", status: "resolved" },
        { at: T0 + 1000 * S, fp: "b", status: "resolved" },
      ],
      T0 + 2000 * S,
    );
    expect(sent).toEqual([
      { at: 30, alerts: ["a:firing", "b:firing"] },
      { at: 330, alerts: ["a:resolved", "b:firing"] },
      { at: 1000, alerts: ["b:resolved"] },
    ]);
    expect(group).toBeNull();
  });

  it("without resolved notifications, a partial resolve says nothing and the last resolve sends nothing", () => {
    const { sent, group } = simulate(
      [
        { at: T0, fp: "a", status: "firing" },
        { at: T0, fp: "b", status: "firing" },
        { at: T0 + 100 * S, fp: "a", status: "resolved" },
        { at: T0 + 1000 * S, fp: "b", status: "resolved" },
      ],
      T0 + 2000 * S,
      false,
    );
    expect(sent).toEqual([{ at: 30, alerts: ["a:firing", "b:firing"] }]);
    expect(group).toBeNull();
  });

  it("an alert that fires and resolves within group_wait is never sent", () => {
    const { sent, group } = simulate(
      [
        { at: T0, fp: "a", status: "firing" },
        { at: T0 + 5 * S, fp: "a", status: "resolved" },
      ],
      T0 + 100 * S,
    );
    expect(sent).toEqual([]);
    expect(group).toBeNull();
  });

  it("group_wait 0 notifies at once; a resolve for an alert the group never held is ignored", () => {
    const { sent } = simulate(
      [
        { at: T0, fp: "x", status: "resolved" },
        { at: T0 + 2 * S, fp: "a", status: "firing" },
      ],
      T0 + 10 * S,
      true,
      { ...timing, groupWaitMs: 0 },
    );
    expect(sent).toEqual([{ at: 2, alerts: ["a:firing"] }]);
  });

  it("says when to look again", () => {
    const g = addToGroup(null, KEY, change("a", "firing", T0), T0);
    expect(decide(g, timing, true, T0 + S)).toMatchObject({ kind: "wait", dueAt: T0 + 30 * S });
    const d = decide(g, timing, true, T0 + 30 * S);
    expect(d.kind).toBe("notify");
    expect(decide(d.next!, timing, true, T0 + 31 * S)).toMatchObject({ kind: "wait", dueAt: T0 + 330 * S });
    expect(decide(d.next!, timing, true, T0 + 330 * S)).toMatchObject({ kind: "wait", dueAt: T0 + 30 * S + 4 * 3600 * S });
  });
});
