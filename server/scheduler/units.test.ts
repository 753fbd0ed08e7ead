import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "@/server/config/load";
import { labDashboardConfigYaml } from "@/e2e/lab/dashboard-config";
import { SECRET_FILES, WEBHOOK_SECRET } from "@/e2e/lab/topology";
import { unitsFromConfig } from "./units";

function labConfig(extra = "") {
  const dir = mkdtempSync(path.join(tmpdir(), "units-"));
  mkdirSync(path.join(dir, "secrets"));
  for (const name of Object.keys(SECRET_FILES)) writeFileSync(path.join(dir, "secrets", name), `${name}-for-test\n`);
  writeFileSync(path.join(dir, "secrets", WEBHOOK_SECRET.file), `${WEBHOOK_SECRET.make()}\n`);
  // The lab's demo users (auth.users) read their passwords from files too.
  mkdirSync(path.join(dir, "demo-users"));
  for (const u of ["viewer", "operator", "approver", "admin"]) writeFileSync(path.join(dir, "demo-users", `${u}-password`), `demo-${u}-password\n`);
  // And single sign-on its client secret.
  mkdirSync(path.join(dir, "oidc"));
  writeFileSync(path.join(dir, "oidc", "client-secret"), "sso-client-secret\n");
  return parseConfig(labDashboardConfigYaml() + extra, path.join(dir, "ha.config.yaml"));
}

describe("unitsFromConfig", () => {
  const units = unitsFromConfig(labConfig());

  it("makes one patroni unit per cluster and one postgres unit per node", () => {
    expect(units.filter((u) => u.kind === "patroni").map((u) => u.key)).toEqual(["patroni:labcluster"]);
    expect(units.filter((u) => u.kind === "postgres").map((u) => u.key)).toEqual(["postgres:labcluster/pg1", "postgres:labcluster/pg2", "postgres:labcluster/pg3"]);
  });

  it("gives every unit a unique key and its component", () => {
    expect(new Set(units.map((u) => u.key)).size).toBe(units.length);
    expect(units.find((u) => u.key === "http:te1-health")?.component).toBe("trading-engine");
    expect(units.find((u) => u.key === "vrrp:vi-trading")?.component).toBe("load-balancer");
  });

  it("resolves a market-data check to its Sentinel group", () => {
    const md = units.find((u) => u.kind === "marketdata");
    if (md?.kind !== "marketdata") throw new Error("no market-data unit");
    const source = md.target.source;
    expect(source.kind).toBe("sentinel");
    expect(source.kind === "sentinel" && source.group.id).toBe("labredis");
  });

  it("takes defaults and never lets a deadline outlive the interval", () => {
    expect(units.every((u) => u.intervalMs === 1000 && u.timeoutMs === 800)).toBe(true);
    const cfg = labConfig();
    cfg.http[0]!.intervalMs = 500;
    cfg.http[0]!.timeoutMs = 2000;
    const u = unitsFromConfig(cfg).find((x) => x.key === "http:te1-health")!;
    expect([u.intervalMs, u.timeoutMs]).toEqual([500, 500]);
  });
});
