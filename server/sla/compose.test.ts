import { describe, expect, it } from "vitest";
import { SEED_COMPONENTS, SEED_SYSTEM_SLA } from "@/server/config/schema";
import { checkFeasibility, composeAvailability, composeTree, serialOf, YEAR_MS, type CompositionNode } from "./compose";

const leaf = (id: string, availabilityPercent: number): CompositionNode => ({ kind: "component", id, availabilityPercent });

describe("composition", () => {
  it("serial is the product, parallel is 1 − Π(1 − A)", () => {
    expect(composeAvailability({ kind: "serial", children: [leaf("a", 99), leaf("b", 99)] })).toBeCloseTo(98.01, 10);
    expect(composeAvailability({ kind: "parallel", children: [leaf("a", 99), leaf("b", 99)] })).toBeCloseTo(99.99, 10);
    expect(composeAvailability({ kind: "parallel", children: [leaf("a", 90), leaf("b", 90), leaf("c", 90)] })).toBeCloseTo(99.9, 10);
    // Empty groups are the identities: serial of nothing is always up, parallel of nothing never.
    expect(composeAvailability({ kind: "serial", children: [] })).toBe(100);
    expect(composeAvailability({ kind: "parallel", children: [] })).toBe(0);
  });

  it("nests: a redundant pair in series with a single component", () => {
    const tree: CompositionNode = {
      kind: "serial",
      name: "path",
      children: [{ kind: "parallel", name: "lb pair", children: [leaf("lb1", 99.9), leaf("lb2", 99.9)] }, leaf("db", 99.99)],
    };
    const t = composeTree(tree);
    expect(t.children[0]!.availabilityPercent).toBeCloseTo(99.9999, 10);
    expect(t.availabilityPercent).toBeCloseTo(100 * 0.999999 * 0.9999, 10);
    expect(t.label).toBe("path");
    expect(() => composeTree(leaf("x", 101))).toThrow(RangeError);
  });
});

describe("feasibility of the seed's table", () => {
  const seed = serialOf(SEED_COMPONENTS);
  const f = checkFeasibility(seed, SEED_SYSTEM_SLA);

  it("trading 99.995, OMS, risk 99.99, market data 99.999, database, cache 99.99, LB 99.995, network 99.999 in series ≈ 99.948%, not 99.99%", () => {
    expect(SEED_COMPONENTS.map((c) => c.sla)).toEqual([99.995, 99.99, 99.99, 99.999, 99.99, 99.99, 99.995, 99.999]);
    expect(f.composedPercent).toBeCloseTo(99.948011, 6);
    expect(f.met).toBe(false);
    expect(f.shortfallPercentPoints).toBeCloseTo(0.041989, 6);
    // 52.56 min/year allowed, about 273.25 min/year implied.
    expect(f.targetDowntimePerYearMs).toBe(52.56 * 60_000);
    expect(f.composedDowntimePerYearMs / 60_000).toBeCloseTo(273.25, 2);
    expect(f.summary).toMatch(/^Composed 99\.9480% is below the stated 99\.99%: each of the 8 serial parts would need 99\.9987% \(6\.57 min\/year/);
  });

  it("says what each component would need: the equal share 99.99^(1/8) ≈ 99.99875% (only the 99.999% ones meet it), and alone none suffices", () => {
    expect(f.parts).toHaveLength(8);
    for (const p of f.parts) {
      expect(p.equalSharePercent).toBeCloseTo(99.998750, 6);
      expect(p.meetsEqualShare).toBe(["Market Data Gateway", "Network"].includes(p.label));
      expect(p.gapPercentPoints).toBeCloseTo(p.equalSharePercent - p.currentPercent, 9);
      expect(p.feasibleAlone).toBe(false);
      expect(p.aloneNeededPercent).toBeGreaterThan(100);
      expect(p.equalShareDowntimePerYearMs / 60_000).toBeCloseTo(6.57, 2);
    }
    const trading = f.parts.find((p) => p.label === "Trading Engine")!;
    expect(trading.gapPercentPoints).toBeCloseTo(0.00375, 6);
    expect(trading.downtimePerYearMs).toBe(26.28 * 60_000);
    // Even a perfect network leaves the other seven at 99.9490%: alone it would need 100.041%.
    expect(f.parts.find((p) => p.label === "Network")!.aloneNeededPercent).toBeCloseTo(100.041, 3);
  });

  it("a consistent table is met, and each part's own target shows where slack is", () => {
    const ok = checkFeasibility({ kind: "serial", children: [leaf("a", 99.999), leaf("b", 99.999)] }, 99.99);
    expect(ok.met).toBe(true);
    expect(ok.shortfallPercentPoints).toBe(0);
    expect(ok.parts.every((p) => p.meetsEqualShare && p.feasibleAlone && p.gapPercentPoints < 0)).toBe(true);
    expect(ok.summary).toMatch(/meets/);
    // A target met exactly (within rounding) counts as met.
    expect(checkFeasibility(leaf("x", 99.99), 99.99).met).toBe(true);
    expect(YEAR_MS).toBe(365 * 86_400_000);
  });
});
