import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { TypedUnit, VrrpNodeView } from "@/lib/unit-data";
import { VrrpMatrix } from "./vrrp-matrix";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const node = (name: string, v: Partial<VrrpNodeView>): VrrpNodeView => ({
  name, state: "BACKUP", lastState: "BACKUP", priority: 50, basePriority: 50, priorityVia: "fifo", at: "2026-11-25T11:59:00Z", heartbeatAgeMs: 400, error: null, silent: false, ...v,
});
const unit = (nodes: VrrpNodeView[]) =>
  ({
    key: "vrrp:vi", kind: "vrrp", targetId: "vi", component: "lb", label: "vi", status: "DOWN", raw: "DOWN", suspect: null, since: null,
    reason: null, latencyMs: 1, lastProbeAt: NOW,
    data: { instance: "VI_X", vips: ["10.0.0.1"], masters: nodes.filter((n) => n.state === "MASTER").map((n) => n.name), nodes },
  }) as unknown as TypedUnit<"vrrp">;
const render = (u: TypedUnit<"vrrp">) => renderToStaticMarkup(createElement(VrrpMatrix, { units: [u], now: NOW }));

describe("VrrpMatrix", () => {
  it("says who answered on the VIP, and flags an answer that is not the MASTER", () => {
    const u = unit([node("ka1", { state: "MASTER" }), node("ka2", {})]);
    const data = u.data as NonNullable<TypedUnit<"vrrp">["data"]>;
    data.vipAnswer = { node: "ka1", answer: "ka1", error: null, latencyMs: 2 };
    expect(render(u)).toMatch(/data-testid="vrrp-answer-VI_X" data-node="ka1" data-agrees="true">VIP answered by <span[^>]*>ka1</);
    data.vipAnswer = { node: "ka2", answer: "ka2", error: null, latencyMs: 2 };
    expect(render(u)).toContain("not the MASTER ka1");
    data.vipAnswer = { node: null, answer: null, error: "connection refused", latencyMs: 2 };
    expect(render(u)).toContain("VIP does not answer: connection refused");
    data.vipAnswer = null;
    expect(render(u)).not.toContain("vrrp-answer-");
  });

  it("names split brain in words, not only colour", () => {
    const html = render(unit([node("ka1", { state: "MASTER" }), node("ka2", { state: "MASTER" })]));
    expect(html).toContain("SPLIT BRAIN");
    expect(html).toContain("CONTESTED: ka1 + ka2");
    expect(html.match(/claims the VIP too/g)).toHaveLength(2);
  });

  it("shows base and effective priority, and by how much a track or drain lowered it", () => {
    const html = render(unit([node("ka1", { state: "BACKUP", basePriority: 100, priority: 40 }), node("ka2", { state: "MASTER" })]));
    expect(html).toMatch(/data-testid="vrrp-base-VI_X-ka1"[^>]*>100</);
    expect(html).toMatch(/data-testid="vrrp-effective-VI_X-ka1" data-priority="40"/);
    expect(html).toContain("40<span> (−60, lowered by a failed track or a drain)</span>");
    expect(html).not.toContain("(−0");
  });

  it("says when the effective priority is only as of the last transition (notify script)", () => {
    const html = render(unit([node("ka1", { state: "MASTER", priorityVia: "notify" }), node("ka2", {})]));
    expect(html).toContain("at the last transition");
  });

  it("explains UNKNOWN with the collector's reason", () => {
    const error = "keepalived not reporting (last heartbeat 12 s ago; last state MASTER)";
    const html = render(unit([node("ka1", { state: "UNKNOWN", lastState: "MASTER", error }), node("ka2", { state: "BACKUP" })]));
    expect(html).toContain(error);
    expect(html).toContain("NOBODY: VIP down");
    expect(html).toContain("1m 0s ago");
  });
});
