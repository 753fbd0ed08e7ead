import { describe, expect, it } from "vitest";
import type { HealthKind } from "@/lib/health";
import { tally, viewsOfComponent } from "./views";

const unit = (key: string, status: "UP" | "DOWN" | "NO_DATA" = "UP") => {
  const [kind, rest] = key.split(":") as [HealthKind, string];
  return { key, kind, targetId: rest.split("/")[0]!, status };
};

describe("viewsOfComponent", () => {
  it("links each page once, in the order of the component's units", () => {
    const units = [unit("patroni:labcluster"), unit("postgres:labcluster/pg1"), unit("vrrp:vi-database"), unit("http:te1-health")];
    const c = { unitKeys: ["patroni:labcluster", "postgres:labcluster/pg1", "vrrp:vi-database", "http:te1-health"] };
    expect(viewsOfComponent(c, units)).toEqual([
      { href: "/clusters/labcluster", label: "Cluster labcluster" },
      { href: "/vrrp", label: "VRRP" },
      { href: "/wall", label: "Wall" },
    ]);
  });

  it("sends Sentinel and Redis units to the Redis page, and ignores keys without a unit", () => {
    const units = [unit("sentinel:labredis"), unit("redis:redis1")];
    expect(viewsOfComponent({ unitKeys: ["sentinel:labredis", "redis:redis1", "haproxy:gone"] }, units)).toEqual([{ href: "/redis", label: "Redis" }]);
  });
});

describe("tally", () => {
  it("counts UP units and names the worst status", () => {
    expect(tally([unit("a:1"), unit("b:1", "NO_DATA"), unit("c:1", "DOWN")])).toEqual({ up: 1, total: 3, worst: "DOWN" });
    expect(tally([])).toEqual({ up: 0, total: 0, worst: null });
  });
});
