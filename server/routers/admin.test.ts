import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/server/auth/auth";
import { sessionPolicyOf } from "@/server/auth/policy";
import { sessionActor } from "@/server/auth/session";
import { createUser } from "@/server/auth/users";
import { AuthSettings } from "@/server/config/schema";
import { listAudit } from "@/server/store/audit";
import { findUserByUsername } from "@/server/store/auth";
import { openStore, storeDb, type Store } from "@/server/store/store";
import { createInnerTRPCContext } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { testUser } from "@/server/testing/actors";

/** Admin mutations through createCaller on a real (in-memory) control store: each one leaves an audit row. */

let store: Store;
let auth: Auth;
const settings = AuthSettings.parse({});
const admin = testUser("admin", "u-adam");
const setup = { id: "setup", name: "setup", role: "cli", ip: "cli" };
const call = (actor = admin, ip = "10.9.8.7", sameOrigin = true) =>
  createCaller(createInnerTRPCContext({ actor, ip, sameOrigin, getStore: async () => store, getAuth: async () => auth }));
const adminEvents = async () => (await listAudit(store, { limit: 100, order: "asc" })).filter((e) => e.requestId === null && e.event !== "refuse");

beforeAll(async () => {
  store = await openStore({ memory: true });
  auth = createAuth({ store, settings, secret: randomBytes(32).toString("base64url") });
  await createUser(auth, store, { username: "adam", role: "admin", password: "adam-password-1" }, setup, Date.now());
  await createUser(auth, store, { username: "vera", role: "viewer", password: "vera-password-1" }, setup, Date.now());
}, 60_000);

afterAll(async () => {
  await store?.close();
});

describe("admin actions are audited", () => {
  it("kiosk create and revoke: who, what, when (UTC), from where, why", async () => {
    const before = Date.now();
    const made = await call().admin.kiosk.create({ label: "NOC wall 3", reason: "new screen in the NOC" });
    await call(admin, "10.9.8.6").admin.kiosk.revoke({ id: made.token.id });
    const rows = await adminEvents();
    const create = rows.find((r) => r.event === "kiosk_create" && r.targetId === made.token.id);
    const revoke = rows.find((r) => r.event === "kiosk_revoke" && r.targetId === made.token.id);
    expect(create).toMatchObject({ actorId: "u-adam", actorName: "Test admin", actorRole: "admin", actorIp: "10.9.8.7", reason: "new screen in the NOC" });
    expect(create!.detail).toContain('"NOC wall 3"');
    expect(create!.detail).not.toContain(made.secret);
    expect(revoke).toMatchObject({ actorId: "u-adam", actorIp: "10.9.8.6", reason: null });
    expect(create!.at).toBeGreaterThanOrEqual(before - 1);
    expect(revoke!.at).toBeGreaterThanOrEqual(create!.at);
    // Stored as timestamptz: the database reads it back in UTC.
    const r = (await storeDb(store).execute(sql`select to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as utc from audit_log where id = ${create!.id}`)) as unknown as { rows: { utc: string }[] };
    expect(r.rows[0]!.utc).toBe(new Date(create!.at).toISOString());
  });

  it("a role change ends the user's sessions and is audited; an admin cannot change their own role", async () => {
    await call().admin.users.setRole({ username: "vera", role: "operator", reason: "joined the on-call rota" });
    expect((await findUserByUsername(store, "vera"))?.role).toBe("operator");
    const row = (await adminEvents()).find((e) => e.event === "role_change" && e.targetId === "vera");
    expect(row).toMatchObject({ actorName: "Test admin", actorIp: "10.9.8.7", reason: "joined the on-call rota", detail: "vera: role viewer -> operator; sessions ended" });
    const adam = await findUserByUsername(store, "adam");
    await expect(call(testUser("admin", adam!.id)).admin.users.setRole({ username: "adam", role: "viewer" })).rejects.toThrow(/your own role/);
    await expect(call().admin.users.setRole({ username: "nobody", role: "viewer" })).rejects.toThrow(/no user named nobody/);
  });

  it("refused attempts change nothing and leave no admin row, only their refusal", async () => {
    const since = Date.now() - 1;
    const n = (await adminEvents()).length;
    await expect(call(testUser("approver")).admin.kiosk.create({ label: "sneaky" })).rejects.toThrow(/admin role/);
    await expect(call(testUser("approver")).admin.users.setRole({ username: "vera", role: "admin" })).rejects.toThrow(/admin role/);
    await expect(call().admin.kiosk.revoke({ id: "k_0123456789ab" })).rejects.toThrow(/No live kiosk token/);
    expect((await adminEvents()).length).toBe(n);
    expect((await findUserByUsername(store, "vera"))?.role).toBe("operator");
    const refused = (await listAudit(store, { since, limit: 100, order: "asc" })).filter((e) => e.event === "refuse");
    expect(refused.map((e) => [e.actorRole, e.targetId])).toEqual([
      ["approver", "admin.kiosk.create"],
      ["approver", "admin.users.setRole"],
    ]);
  });

  it("the admin rows are append-only like the rest of the audit log", async () => {
    const refused = { cause: expect.objectContaining({ message: expect.stringMatching(/audit_log is append-only/) }) };
    await expect(storeDb(store).execute(sql`update audit_log set reason = 'edited' where event = 'role_change'`)).rejects.toMatchObject(refused);
    await expect(storeDb(store).execute(sql`delete from audit_log where event = 'kiosk_create'`)).rejects.toMatchObject(refused);
  });
});

/** better-auth's own HTTP endpoints, as the browser calls them. */
async function post(path: string, body: unknown, cookie?: string): Promise<{ status: number; cookie: string | null; body: { message?: string; code?: string } | null }> {
  const headers: Record<string, string> = { "content-type": "application/json", origin: "http://dash.test" };
  if (cookie) headers.cookie = cookie;
  const res = await auth.handler(new Request(`http://dash.test/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) }));
  const set = res.headers.getSetCookie().find((c) => c.startsWith("hacr.session_token="));
  return { status: res.status, cookie: set ? set.split(";")[0]! : null, body: (await res.json().catch(() => null)) as { message?: string } | null };
}
const signIn = (username: string, password: string) => post("/sign-in/username", { username, password });
const whoIs = (cookie: string | null) => sessionActor({ auth, store, policy: sessionPolicyOf(settings) }, new Headers({ cookie: cookie ?? "" }), Date.now(), { activity: true });
const OTP = /^[a-zA-Z0-9]{6}(-[a-zA-Z0-9]{6}){3}$/;

describe("user administration from the Admin page", () => {
  it("creates a user with a one-time password, returned once, that must be changed at first sign-in", async () => {
    const made = await call().admin.users.create({ username: "nina", name: "Nina Night", role: "operator", reason: "new on the night shift" });
    expect(made.oneTimePassword).toMatch(OTP);
    expect(made.user).toMatchObject({ username: "nina", name: "Nina Night", role: "operator", mustChangePassword: true, disabledAt: null });
    // Never again: not in the list, not in the audit log, not in the store in clear.
    const list = await call().admin.users.list();
    expect(JSON.stringify(list)).not.toContain(made.oneTimePassword);
    const row = (await adminEvents()).find((e) => e.event === "user_create" && e.targetId === "nina");
    expect(row).toMatchObject({ actorId: "u-adam", actorRole: "admin", actorIp: "10.9.8.7", reason: "new on the night shift" });
    expect(row!.detail).toBe("nina created with role operator; one-time password, to be changed at first sign-in");
    const dump = JSON.stringify(((await storeDb(store).execute(sql`select * from auth_accounts`)) as unknown as { rows: unknown[] }).rows);
    expect(dump).not.toContain(made.oneTimePassword);

    // Signed in with it, the session says the password must change first.
    const first = await signIn("nina", made.oneTimePassword);
    expect(first.status).toBe(200);
    expect(await whoIs(first.cookie)).toMatchObject({ actor: { role: "operator" }, mustChangePassword: true });
    // The same password again is not a change.
    const same = await post("/change-password", { currentPassword: made.oneTimePassword, newPassword: made.oneTimePassword }, first.cookie!);
    expect(same.status).toBe(400);
    expect(same.body?.message).toMatch(/different from the current one/);
    expect((await findUserByUsername(store, "nina"))?.mustChangePassword).toBe(true);
    const other = await signIn("nina", made.oneTimePassword);
    // As the change-password page sends it: the other sessions end, this browser gets a new one.
    const changed = await post("/change-password", { currentPassword: made.oneTimePassword, newPassword: "nina-own-password-1", revokeOtherSessions: true }, first.cookie!);
    expect(changed.status).toBe(200);
    expect((await findUserByUsername(store, "nina"))?.mustChangePassword).toBe(false);
    expect(await whoIs(other.cookie)).toBeNull();
    expect(await whoIs(changed.cookie)).toMatchObject({ actor: { role: "operator" }, mustChangePassword: false });
    expect((await signIn("nina", made.oneTimePassword)).status).toBe(401);
    expect((await signIn("nina", "nina-own-password-1")).status).toBe(200);
  }, 60_000);

  it("refuses a taken name, a bad name and a bad role, leaving no row", async () => {
    const n = (await adminEvents()).length;
    await expect(call().admin.users.create({ username: "vera", role: "viewer" })).rejects.toThrow(/a user named vera exists already/);
    await expect(call().admin.users.create({ username: "No Spaces", role: "viewer" })).rejects.toThrow(/username.*lower-case user name/s);
    await expect(call().admin.users.create({ username: "zed", role: "root" as "admin" })).rejects.toThrow(/role/);
    expect((await adminEvents()).length).toBe(n);
  });

  it("disable ends the user's sessions at once and refuses sign-in; enable lets them back", async () => {
    await createUser(auth, store, { username: "dora", role: "viewer", password: "dora-password-1" }, setup, Date.now());
    const open = await signIn("dora", "dora-password-1");
    expect(await whoIs(open.cookie)).not.toBeNull();
    await call().admin.users.disable({ username: "dora", reason: "left the team" });
    expect(await whoIs(open.cookie)).toBeNull();
    const refused = await signIn("dora", "dora-password-1");
    expect(refused.status).toBe(403);
    expect(refused.cookie).toBeNull();
    expect(refused.body?.message).toBe("This account is disabled; ask an admin");
    // A wrong password still gets the usual answer, so being disabled tells nothing without the password.
    expect((await signIn("dora", "not-her-password")).status).toBe(401);
    expect((await findUserByUsername(store, "dora"))?.disabledAt).toEqual(expect.any(Number));
    await expect(call().admin.users.disable({ username: "dora" })).rejects.toThrow(/dora is disabled already/);

    await call(admin, "10.9.8.5").admin.users.enable({ username: "dora" });
    expect((await signIn("dora", "dora-password-1")).status).toBe(200);
    const rows = (await adminEvents()).filter((e) => e.targetId === "dora");
    expect(rows.map((r) => [r.event, r.actorIp, r.reason, r.detail])).toEqual([
      ["user_create", "cli", null, "dora created with role viewer"],
      ["user_disable", "10.9.8.7", "left the team", "dora disabled; 1 session ended"],
      ["user_enable", "10.9.8.5", null, "dora enabled"],
    ]);
    const adam = await findUserByUsername(store, "adam");
    await expect(call(testUser("admin", adam!.id)).admin.users.disable({ username: "adam" })).rejects.toThrow(/cannot disable your own account/);
  }, 60_000);

  it("end sessions signs the user out everywhere; they may sign in again", async () => {
    const a = await signIn("vera", "vera-password-1");
    const b = await signIn("vera", "vera-password-1");
    expect(await call().admin.users.endSessions({ username: "vera", reason: "laptop lost" })).toEqual({ ended: 2 });
    expect(await whoIs(a.cookie)).toBeNull();
    expect(await whoIs(b.cookie)).toBeNull();
    expect((await signIn("vera", "vera-password-1")).status).toBe(200);
    const row = (await adminEvents()).findLast((e) => e.event === "sessions_end");
    expect(row).toMatchObject({ targetId: "vera", reason: "laptop lost", detail: "vera: 2 sessions ended" });
  }, 60_000);

  it("reset password: a new one-time password, shown once; the old one and the sessions end", async () => {
    await createUser(auth, store, { username: "rita", role: "approver", password: "rita-password-1" }, setup, Date.now());
    const open = await signIn("rita", "rita-password-1");
    const { oneTimePassword } = await call().admin.users.resetPassword({ username: "rita", reason: "forgot it" });
    expect(oneTimePassword).toMatch(OTP);
    expect(await whoIs(open.cookie)).toBeNull();
    expect((await signIn("rita", "rita-password-1")).status).toBe(401);
    const next = await signIn("rita", oneTimePassword);
    expect(next.status).toBe(200);
    expect(await whoIs(next.cookie)).toMatchObject({ mustChangePassword: true });
    const again = await call().admin.users.resetPassword({ username: "rita" });
    expect(again.oneTimePassword).not.toBe(oneTimePassword);
    const rows = (await adminEvents()).filter((e) => e.event === "password_reset" && e.targetId === "rita");
    expect(rows.map((r) => r.detail)).toEqual([
      "rita: one-time password set, to be changed at next sign-in; 1 session ended",
      "rita: one-time password set, to be changed at next sign-in; 1 session ended",
    ]);
    expect(JSON.stringify(await adminEvents())).not.toContain(oneTimePassword);
    const adam = await findUserByUsername(store, "adam");
    await expect(call(testUser("admin", adam!.id)).admin.users.resetPassword({ username: "adam" })).rejects.toThrow(/cannot reset the password of your own account/);
  }, 60_000);

  it("only admins, only from the dashboard's own pages; refusals change nothing", async () => {
    const n = (await adminEvents()).length;
    const approver = call(testUser("approver"));
    await expect(approver.admin.users.create({ username: "eve", role: "admin" })).rejects.toThrow(/admin role/);
    await expect(approver.admin.users.disable({ username: "vera" })).rejects.toThrow(/admin role/);
    await expect(approver.admin.users.enable({ username: "vera" })).rejects.toThrow(/admin role/);
    await expect(approver.admin.users.endSessions({ username: "vera" })).rejects.toThrow(/admin role/);
    await expect(approver.admin.users.resetPassword({ username: "vera" })).rejects.toThrow(/admin role/);
    await expect(call(admin, "10.9.8.7", false).admin.users.create({ username: "eve", role: "admin" })).rejects.toThrow(/did not come from this dashboard/);
    await expect(call(admin, "10.9.8.7", false).admin.users.resetPassword({ username: "vera" })).rejects.toThrow(/did not come from this dashboard/);
    await expect(call().admin.users.endSessions({ username: "nobody" })).rejects.toThrow(/no user named nobody/);
    expect((await adminEvents()).length).toBe(n);
    expect(await findUserByUsername(store, "eve")).toBeNull();
  });
});
