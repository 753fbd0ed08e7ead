import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listAudit } from "../store/audit";
import { openStore } from "../store/store";

/** `npm run admin` as an operator runs it: a real process on a store folder of its own. */

const dir = mkdtempSync(path.join(tmpdir(), "admin-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function admin(args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/admin.ts", ...args], {
    input: opts.stdin ?? "",
    encoding: "utf8",
    env: { ...process.env, HA_STORE_DIR: path.join(dir, "store"), HA_CONFIG: path.join(dir, "none.yaml"), HA_ADMIN_PASSWORD: "", ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run admin", () => {
  it("creates the first admin with the password from stdin, and refuses one on the command line", () => {
    const ok = admin(["create-admin", "alice"], { stdin: "alice-password-1\n" });
    expect(ok.err).toBe("");
    expect(ok.out).toContain("created admin alice (the first admin)");
    const argv = admin(["create-admin", "bob", "bob-password-1"]);
    expect(argv.code).toBe(2);
    expect(argv.err).toContain("passwords are read from stdin, never from the command line");
    const short = admin(["create-user", "carol", "viewer"], { stdin: "short\n" });
    expect(short.code).toBe(1);
    expect(short.err).toContain("at least 10 characters");
    const env = admin(["create-user", "dave", "approver"], { env: { HA_ADMIN_PASSWORD: "dave-password-1" } });
    expect(env.out).toContain("created approver dave");
    const list = admin(["users"]);
    expect(list.out).toMatch(/alice\s+admin/);
    expect(list.out).toMatch(/dave\s+approver/);
    expect(list.out).not.toContain("password");
  }, 120_000);

  it("makes, lists and revokes a kiosk token, showing the token once", () => {
    const made = admin(["kiosk", "create", "NOC wall 1"]);
    expect(made.code).toBe(0);
    const token = /hacrk_[A-Za-z0-9_-]{43}/.exec(made.out)?.[0];
    const id = /k_[0-9a-f]{12}/.exec(made.out)?.[0];
    expect(token && id).toBeTruthy();
    const list = admin(["kiosk", "list"]);
    expect(list.out).toContain(id!);
    expect(list.out).toContain("live");
    expect(list.out).not.toContain(token!);
    expect(admin(["kiosk", "revoke", id!]).code).toBe(0);
    expect(admin(["kiosk", "list"]).out).toMatch(new RegExp(`${id}.*revoked`));
    expect(admin(["kiosk", "revoke", id!]).err).toContain(`No live kiosk token ${id}`);
  }, 120_000);

  it("writes set-role and kiosk create/revoke to the audit log, from the address 'cli', with the reason", async () => {
    expect(admin(["create-user", "erin", "viewer"], { stdin: "erin-password-1\n" }).code).toBe(0);
    const cliEnv = { USER: "opsuser", SUDO_USER: "" };
    expect(admin(["set-role", "erin", "approver", "--reason", "covers the night shift"], { env: cliEnv }).code).toBe(0);
    const made = admin(["kiosk", "create", "Lobby screen", "--reason=lobby display"], { env: cliEnv });
    const id = /k_[0-9a-f]{12}/.exec(made.out)?.[0];
    expect(id).toBeTruthy();
    expect(admin(["kiosk", "revoke", id!], { env: cliEnv }).code).toBe(0);
    expect(admin(["set-role", "erin", "admin", "--reason"]).code).toBe(2);
    const store = await openStore({ dataDir: path.join(dir, "store") });
    try {
      const rows = (await listAudit(store, { limit: 100, order: "asc" })).filter((r) => r.actorName === "opsuser");
      expect(rows.map((r) => [r.event, r.targetId, r.reason])).toEqual([
        ["role_change", "erin", "covers the night shift"],
        ["kiosk_create", id, "lobby display"],
        ["kiosk_revoke", id, null],
      ]);
      for (const r of rows) expect(r).toMatchObject({ actorIp: "cli", actorRole: "cli", requestId: null });
      expect(rows[0]!.detail).toBe("erin: role viewer -> approver; sessions ended");
    } finally {
      await store.close();
    }
  }, 120_000);

  it("disables, enables, resets a password (printed once, to be changed) and ends sessions, each audited", async () => {
    expect(admin(["create-user", "finn", "viewer"], { stdin: "finn-password-1\n" }).code).toBe(0);
    const cliEnv = { USER: "nightops", SUDO_USER: "" };
    expect(admin(["disable", "finn", "--reason", "on leave"], { env: cliEnv }).out).toContain("finn is disabled");
    expect(admin(["disable", "finn"], { env: cliEnv }).err).toContain("finn is disabled already");
    expect(admin(["enable", "finn"], { env: cliEnv }).code).toBe(0);
    const reset = admin(["reset-password", "finn"], { env: cliEnv });
    const otp = /^[a-zA-Z0-9]{6}(-[a-zA-Z0-9]{6}){3}$/m.exec(reset.out)?.[0];
    expect(otp).toBeTruthy();
    expect(admin(["end-sessions", "finn"], { env: cliEnv }).out).toContain("finn: 0 session(s) ended");
    expect(admin(["users"]).out).toMatch(/finn\s+viewer\s+finn\s+\[must-change-password\]/);
    const store = await openStore({ dataDir: path.join(dir, "store") });
    try {
      const rows = (await listAudit(store, { limit: 100, order: "asc" })).filter((r) => r.actorName === "nightops");
      expect(rows.map((r) => [r.event, r.targetId, r.reason])).toEqual([
        ["user_disable", "finn", "on leave"],
        ["user_enable", "finn", null],
        ["password_reset", "finn", null],
        ["sessions_end", "finn", null],
      ]);
      expect(JSON.stringify(rows)).not.toContain(otp!);
    } finally {
      await store.close();
    }
  }, 240_000);
});
