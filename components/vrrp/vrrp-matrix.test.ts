import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { TypedUnit, VrrpNodeView } from "@/lib/unit-data";
import { VrrpMatrix } from "./vrrp-matrix";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const node = (name: string, v: Partial<VrrpNodeView>): VrrpNodeView => ({
  name, state: "BACKUP", lastState: "BACKUP", priority: 50, at: "2026-11-25T11:59:00Z", heartbeatAgeMs: 400, error: null, ...v,
});
const unit = (nodes: VrrpNodeView[]) =>
  ({
    key: "vrrp:vi", kind: "vrrp", targetId: "vi", component: "lb", label: "vi", status: "DOWN", raw: "DOWN", suspect: null, since: null,
    reason: null, latencyMs: 1, lastProbeAt: NOW,
    data: { instance: "VI_X", vips: ["10.0.0.1"], masters: nodes.filter((n) => n.state === "MASTER").map((n) => n.name), nodes },
  }) as unknown as TypedUnit<"vrrp">;
const render = (u: TypedUnit<"vrrp">) => renderToStaticMarkup(createElement(VrrpMatrix, { units: [u], now: NOW }));

describe("VrrpMatrix", () => {
  it("names split brain in words, not only colour", () => {
    const html = render(unit([node("ka1", { state: "MASTER" }), node("ka2", { state: "MASTER" })]));
    expect(html).toContain("SPLIT BRAIN");
    expect(html).toContain("CONTESTED: ka1 + ka2");
    expect(html.match(/claims the VIP too/g)).toHaveLength(2);
  });

  it("explains UNKNOWN with the collector's reason", () => {
    const error = "keepalived not reporting (last heartbeat 12 s ago; last state MASTER)";
    const html = render(unit([node("ka1", { state: "UNKNOWN", lastState: "MASTER", error }), node("ka2", { state: "BACKUP" })]));
    expect(html).toContain(error);
    expect(html).toContain("NOBODY: VIP down");
    expect(html).toContain("1m 0s ago");
  });
});
