import { describe, expect, it } from "vitest";
import { ACTION_DEFAULTS, resolveTargetActions } from "./actions";
import { ConfigError, parseConfig } from "./load";

describe("action settings in the topology file", () => {
  it("defaults per kind; a given key wins", () => {
    expect(resolveTargetActions("patroni", undefined)).toEqual({ approvalWindowMs: 600_000, cooldownMs: 300_000, verifyTimeoutMs: 60_000 });
    expect(resolveTargetActions("sentinel", { cooldownSeconds: 15 }).cooldownMs).toBe(15_000);
    expect(ACTION_DEFAULTS.sentinel.cooldownSeconds).toBeGreaterThan(10); // longer than Sentinel's settling window
  });

  it("per target and per VRRP node; a bad value names its field", () => {
    const yaml = (weight: number, cooldown: number) => `version: 1
clusters:
  - id: db
    component: database
    actions: { cooldownSeconds: ${cooldown}, approvalWindowMinutes: 5 }
    nodes: [{ name: pg1, rest: "http://10.0.0.1:8008", dsn: "postgres://monitor@10.0.0.1:5432/postgres" }]
vrrp:
  - id: vi
    component: network
    instance: VI_1
    virtualRouterId: 51
    vips: [10.0.0.100]
    nodes:
      - { name: lb1, drainFile: /srv/vrrp/lb1/drain, drainWeight: ${weight} }
      - { name: lb2 }
`;
    const cfg = parseConfig(yaml(60, 30), "/etc/ha.config.yaml");
    expect(cfg.clusters[0]!.actions).toEqual({ cooldownSeconds: 30, approvalWindowMinutes: 5 });
    expect(cfg.vrrp[0]!.nodes[0]).toMatchObject({ drainFile: "/srv/vrrp/lb1/drain", drainWeight: 60 });
    let err: unknown;
    try {
      parseConfig(yaml(254, -1), "/etc/ha.config.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^clusters\[0\]\.actions\.cooldownSeconds: /), expect.stringMatching(/^vrrp\[0\]\.nodes\[0\]\.drainWeight: /)]),
    );
  });
});
