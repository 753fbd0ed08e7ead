import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { labDashboardConfig } from "@/e2e/lab/dashboard-config";
import { ALERTMANAGER, SECRET_FILES, WEBHOOK_SECRET, WEBHOOK_SINK } from "@/e2e/lab/topology";
import { ConfigError, parseConfig } from "@/server/config/load";
import { groupingOf } from "@/server/config/alerting";

/** The lab's `alerting:` section as the dashboard reads it, and the named errors of a broken one. */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Raw = ReturnType<typeof labDashboardConfig>;

/** The lab's config in a folder of its own, with every secret file it references; `patch` breaks it. */
function parseLab(patch: (raw: Raw) => void = () => {}, webhookSecret = WEBHOOK_SECRET.make()) {
  const dir = mkdtempSync(path.join(tmpdir(), "lab-alerting-"));
  dirs.push(dir);
  mkdirSync(path.join(dir, "secrets"));
  for (const name of Object.keys(SECRET_FILES)) writeFileSync(path.join(dir, "secrets", name), `${name}-for-test\n`);
  writeFileSync(path.join(dir, "secrets", WEBHOOK_SECRET.file), `${webhookSecret}\n`);
  mkdirSync(path.join(dir, "demo-users"));
  for (const u of ["viewer", "operator", "approver", "admin"]) writeFileSync(path.join(dir, "demo-users", `${u}-password`), `demo-${u}-password\n`);
  mkdirSync(path.join(dir, "oidc"));
  writeFileSync(path.join(dir, "oidc", "client-secret"), "sso-client-secret\n");
  const raw = labDashboardConfig();
  patch(raw);
  const file = path.join(dir, "ha.config.yaml");
  return { parse: () => parseConfig(JSON.stringify(raw), file), secret: webhookSecret };
}

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError, but the config was accepted");
}

describe("the lab's alerting config", () => {
  it("sends everything to Alertmanager and the signed direct hook, and approval requests to the approvers", () => {
    const { parse, secret } = parseLab();
    const a = parse().alerting!;
    expect(a.receivers.map((r) => [r.name, r.type, r.url])).toEqual([
      ["am", "alertmanager", ALERTMANAGER.url],
      ["direct", "webhook", `${WEBHOOK_SINK.url}${WEBHOOK_SINK.paths.direct}`],
      ["approvers", "webhook", `${WEBHOOK_SINK.url}${WEBHOOK_SINK.paths.approvers}`],
    ]);
    // The signing secret comes from the lab's file, a Standard Webhooks whsec_ of 32 random bytes.
    const direct = a.receivers.find((r) => r.name === "direct");
    expect(direct?.type === "webhook" && direct.secrets.map((s) => s.reveal())).toEqual([secret]);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(a.route.receiver).toBe("am");
    expect(a.externalURL).toBe("http://localhost:3000");
    expect(a.route.routes.map((r) => [r.receiver, r.match, r.continue])).toEqual([
      ["approvers", { alertname: "ActionAwaitingApproval" }, true],
      ["am", {}, true],
      ["direct", {}, false],
    ]);
    expect(groupingOf(a.route, a.route.routes[2])).toMatchObject({ groupWaitMs: 0, groupIntervalMs: 1000 });
    const am = a.receivers.find((r) => r.name === "am");
    expect(am?.type === "alertmanager" && am.resendIntervalMs).toBe(2000);
  });

  it("two lab secrets are never the same", () => {
    expect(WEBHOOK_SECRET.make()).not.toBe(WEBHOOK_SECRET.make());
    expect(WEBHOOK_SECRET.make()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });

  it("a route to a receiver that does not exist is named", () => {
    const { parse } = parseLab((raw) => (raw.alerting.route.routes[1]!.receiver = "pager"));
    expect(problemsOf(parse)).toEqual(['alerting.route.routes[1].receiver: unknown receiver "pager"; expected one of am, direct, approvers']);
  });

  it("a signing secret that is not whsec_ + base64 is named, with how to make one", () => {
    const { parse } = parseLab(() => {}, "not-a-secret");
    const problems = problemsOf(parse);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^alerting\.receivers\[1\]\.secrets\[0\]: expected a Standard Webhooks secret "whsec_"/);
    expect(problems[1]).toMatch(/^alerting\.receivers\[2\]\.secrets\[0\]: /);
  });

  it("credentials written into a receiver URL are refused, naming the field", () => {
    const { parse } = parseLab((raw) => (raw.alerting.receivers[0]!.url = `http://user:pw@127.0.0.1:${ALERTMANAGER.port}`));
    expect(problemsOf(parse)).toEqual([expect.stringMatching(/^alerting\.receivers\[0\]\.url: credentials are written in the URL; move them to basicAuth/)]);
  });

  it("a receiver of an unknown type and a negative wait are named", () => {
    const { parse } = parseLab((raw) => {
      (raw.alerting.receivers[1] as { type: string }).type = "pagerduty";
      raw.alerting.route.groupWaitMs = -1;
    });
    const problems = problemsOf(parse);
    expect(problems).toContain("alerting.receivers[1].type: expected type: alertmanager or type: webhook");
    expect(problems).toContain("alerting.route.groupWaitMs: expected at least 0 ms");
  });
});
