import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth } from "@/server/auth/auth";
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
const admin = testUser("admin", "u-adam");
const call = (actor = admin, ip = "10.9.8.7") => createCaller(createInnerTRPCContext({ actor, ip, getStore: async () => store }));
const adminEvents = async () => (await listAudit(store, { limit: 100, order: "asc" })).filter((e) => e.requestId === null && e.event !== "refuse");

beforeAll(async () => {
  store = await openStore({ memory: true });
  const auth = createAuth({ store, settings: AuthSettings.parse({}), secret: randomBytes(32).toString("base64url") });
  await createUser(auth, store, { username: "adam", role: "admin", password: "adam-password-1" });
  await createUser(auth, store, { username: "vera", role: "viewer", password: "vera-password-1" });
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
