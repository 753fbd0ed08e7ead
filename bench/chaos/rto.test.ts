import { describe, expect, it } from "vitest";
import type { Row } from "./measure";
import { incidentsOf, rtoTable } from "./rto";

const row = (r: Partial<Row>): Row => ({
  suspectedMs: 300,
  confirmedMs: 2800,
  phases: [],
  undoMs: 16_000,
  restoredMs: 11_000,
  oracleHealthyMs: 24_000,
  recoveredMs: 25_000,
  recoveryAgrees: true,
  recoveryWhy: "",
  apiP99Ms: 100,
  apiP50Ms: 50,
  apiFailed: 0,
  apiOk: true,
  pass: true,
  ...r,
});

describe("the chaos runner's incidents", () => {
  it("are suspected, confirmed and restored as measured, in epoch ms; never-suspected scenarios make none", () => {
    const runs = [
      { mode: "database" as const, injectAt: 1_000_000, row: row({}) },
      { mode: "software-crash" as const, injectAt: 2_000_000, row: row({ restoredMs: null, recoveredMs: 9000 }) },
      { mode: null, injectAt: 3_000_000, row: row({ suspectedMs: null }) },
    ];
    expect(incidentsOf(runs)).toEqual([
      { mode: "database", suspectedAt: 1_000_300, confirmedAt: 1_002_800, recoveredAt: 1_011_000 },
      { mode: "software-crash", suspectedAt: 2_000_300, confirmedAt: 2_002_800, recoveredAt: 2_009_000 },
    ]);
  });

  it("fill the SLA report's scoreboard: detection and recovery from suspicion, against each mode's target", () => {
    const t = rtoTable([{ mode: "database", injectAt: 1_000_000, row: row({}) }], 5_000_000)!.split("\n");
    expect(t.find((l) => l.startsWith("| Database failure"))).toBe("| Database failure | 60.0 s–120.0 s | 1 | 2.5 s / 2.5 s | 10.7 s / 10.7 s | met |");
    expect(t.find((l) => l.startsWith("| Software crash"))).toContain("| 0 |");
    expect(rtoTable([], 0)).toBeNull();
  });
});
