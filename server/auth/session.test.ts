import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthSettings } from "@/server/config/schema";
import { listAudit } from "@/server/store/audit";
import { listUsers, sessionTimes, setSessionTimes } from "@/server/store/auth";
import { openStore, type Store } from "@/server/store/store";
import { createAuth, type Auth } from "./auth";
import { createKioskToken, hashKioskToken, KIOSK_COOKIE, revokeKiosk } from "./kiosk";
import { sessionPolicyOf } from "./policy";
import { actorStillValid, resolveActor, sessionActor } from "./session";
import { changeRole, createUser, ensureUser } from "./users";

const by = { id: "u-test", name: "test", role: "admin", ip: "127.0.0.1" };

/**
 * better-auth over a real (in-memory) PGlite control store: sign in through its HTTP handler, then
 * resolve the cookie as the tRPC context does, with the clock moved instead of waited for.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const settings = AuthSettings.parse({ loginRateLimit: { windowSeconds: 60, maxFailuresPerAccount: 3, maxFailuresPerAddress: 20 } });
const policy = sessionPolicyOf(settings);
let store: Store;
let auth: Auth;
let clock = Date.now();
const deps = () => ({ auth, store, policy });

beforeAll(async () => {
  store = await openStore({ memory: true });
  auth = createAuth({ store, settings, secret: randomBytes(32).toString("base64url"), now: () => clock });
  await createUser(auth, store, { username: "olga", name: "Olga Operator", role: "operator", password: "olga-password-1" }, by, Date.now());
}, 60_000);

afterAll(async () => {
  await store?.close();
});

async function signIn(username: string, password: string, ip = "10.0.0.1"): Promise<{ status: number; cookie: string | null; body: unknown }> {
  const res = await auth.handler(
    new Request("http://dash.test/api/auth/sign-in/username", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://dash.test", "x-forwarded-for": ip },
      body: JSON.stringify({ username, password }),
    }),
  );
  const set = res.headers.getSetCookie().find((c) => c.startsWith("hacr.session_token="));
  return { status: res.status, cookie: set ? set.split(";")[0]! : null, body: await res.json().catch(() => null) };
}

describe("sessions", () => {
  it("a sign-in sets an httpOnly SameSite=Strict cookie that resolves to the user and role", async () => {
    const res = await auth.handler(
      new Request("http://dash.test/api/auth/sign-in/username", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://dash.test" },
        body: JSON.stringify({ username: "olga", password: "olga-password-1" }),
      }),
    );
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie().find((c) => c.startsWith("hacr.session_token="))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Max-Age=43200/); // the absolute limit, 12 h
    const r = await resolveActor(deps(), new Headers({ cookie: set.split(";")[0]! }), Date.now());
    expect(r?.actor).toMatchObject({ kind: "user", name: "Olga Operator", role: "operator" });
    // The answer carries no password hash.
    expect(JSON.stringify(await res.clone().json())).not.toMatch(/password/i);
  });

  it("ends after 30 idle minutes; use keeps it alive", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const headers = new Headers({ cookie: cookie! });
    const t0 = Date.now();
    const first = await sessionActor(deps(), headers, t0);
    expect(first?.actor.role).toBe("operator");
    // Used at +29 min: still active, and the use is recorded…
    expect(await sessionActor(deps(), headers, t0 + 29 * MIN)).not.toBeNull();
    expect((await sessionTimes(store, first!.sessionId))!.lastSeenAt).toBe(t0 + 29 * MIN);
    // …so +58 min is only 29 idle minutes later.
    expect(await sessionActor(deps(), headers, t0 + 58 * MIN)).not.toBeNull();
    // 30 minutes without use: gone, and deleted from the store (dead on every instance).
    expect(await sessionActor(deps(), headers, t0 + 88 * MIN)).toBeNull();
    expect(await sessionTimes(store, first!.sessionId)).toBeNull();
    expect(await sessionActor(deps(), headers, t0 + 58 * MIN)).toBeNull();
  });

  it("ends 12 hours after sign-in however busy", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const headers = new Headers({ cookie: cookie! });
    const t0 = Date.now();
    const r = await sessionActor(deps(), headers, t0);
    for (let t = t0; t < t0 + 12 * HOUR; t += 20 * MIN) expect(await sessionActor(deps(), headers, t), `at +${(t - t0) / MIN} min`).not.toBeNull();
    expect(await sessionActor(deps(), headers, t0 + 12 * HOUR + 1000)).toBeNull();
    expect(await sessionTimes(store, r!.sessionId)).toBeNull();
  });

  it("a subscription's re-check sees an idle or deleted session, without counting as use", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const t0 = Date.now();
    const r = (await resolveActor(deps(), new Headers({ cookie: cookie! }), t0))!;
    const seen = (await sessionTimes(store, (r as { sessionId: string }).sessionId))!.lastSeenAt;
    expect(await actorStillValid(deps(), r, t0 + 10 * MIN)).toBe(true);
    expect((await sessionTimes(store, (r as { sessionId: string }).sessionId))!.lastSeenAt).toBe(seen);
    expect(await actorStillValid(deps(), r, t0 + 31 * MIN)).toBe(false);
    await setSessionTimes(store, (r as { sessionId: string }).sessionId, { lastSeenAt: t0 + 31 * MIN });
    expect(await actorStillValid(deps(), r, t0 + 32 * MIN)).toBe(true);
  });

  it("a role change ends the user's sessions", async () => {
    await createUser(auth, store, { username: "rolf", role: "viewer", password: "rolf-password-1" }, by, Date.now());
    const { cookie } = await signIn("rolf", "rolf-password-1");
    expect((await resolveActor(deps(), new Headers({ cookie: cookie! }), Date.now()))?.actor).toMatchObject({ role: "viewer" });
    await changeRole(store, "rolf", "approver", by, Date.now());
    expect(await resolveActor(deps(), new Headers({ cookie: cookie! }), Date.now())).toBeNull();
    const again = await signIn("rolf", "rolf-password-1");
    expect((await resolveActor(deps(), new Headers({ cookie: again.cookie! }), Date.now()))?.actor).toMatchObject({ role: "approver" });
  });

  it("a forged or tampered cookie is nobody", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const [name, value] = cookie!.split("=");
    const tampered = `${name}=${value!.slice(0, -2)}xx`;
    expect(await resolveActor(deps(), new Headers({ cookie: tampered }), Date.now())).toBeNull();
    expect(await resolveActor(deps(), new Headers({ cookie: "hacr.session_token=abc.def" }), Date.now())).toBeNull();
  });
});

describe("sign-in limits", () => {
  it("refuses an account after its failures, for the window, with Retry-After; other accounts are unaffected", async () => {
    await createUser(auth, store, { username: "pete", role: "viewer", password: "pete-password-1" }, by, Date.now());
    clock = Date.now();
    for (let i = 0; i < 3; i++) expect((await signIn("pete", "wrong-password", `10.9.0.${i}`)).status).toBe(401);
    const refused = await signIn("pete", "pete-password-1", "10.9.0.99");
    expect(refused.status).toBe(429);
    expect((refused.body as { message: string }).message).toMatch(/^Too many failed sign-ins; try again in (60|59) s$/);
    expect((await signIn("olga", "olga-password-1", "10.9.0.99")).status).toBe(200);
    clock += 60_000;
    expect((await signIn("pete", "pete-password-1")).status).toBe(200);
  }, 30_000);

  it("limits one address across accounts", async () => {
    clock = Date.now();
    for (let i = 0; i < 20; i++) expect((await signIn(`ghost${i}`, "wrong-password", "10.8.8.8")).status).toBe(401);
    expect((await signIn("olga", "olga-password-1", "10.8.8.8")).status).toBe(429);
    expect((await signIn("olga", "olga-password-1", "10.8.8.9")).status).toBe(200);
  }, 60_000); // 21 scrypt verifications: better-auth hashes even for an unknown user, so timing tells nothing

  it("an unknown user and a wrong password look the same", async () => {
    const a = await signIn("nobody-here", "whatever-password", "10.7.0.1");
    const b = await signIn("olga", "whatever-password", "10.7.0.2");
    expect([a.status, b.status]).toEqual([401, 401]);
    expect(a.body).toEqual(b.body);
  });
});

describe("kiosk tokens", () => {
  it("a token resolves to a kiosk actor until revoked; only its hash is stored", async () => {
    const made = await createKioskToken(store, "NOC wall 1", by, Date.now());
    expect(made.secret).toMatch(/^hacrk_[A-Za-z0-9_-]{43}$/);
    const headers = new Headers({ cookie: `${KIOSK_COOKIE}=${made.secret}` });
    const r = await resolveActor(deps(), headers, Date.now());
    expect(r).toEqual({ actor: { kind: "kiosk", tokenId: made.token.id }, label: "NOC wall 1" });
    expect(await actorStillValid(deps(), r!, Date.now())).toBe(true);
    const dump = JSON.stringify((await store_rows()).kiosk);
    expect(dump).not.toContain(made.secret);
    expect(dump).toContain(hashKioskToken(made.secret));
    await revokeKiosk(store, made.token.id, by, Date.now());
    expect(await resolveActor(deps(), headers, Date.now())).toBeNull();
    expect(await actorStillValid(deps(), r!, Date.now())).toBe(false);
    await expect(revokeKiosk(store, made.token.id, by, Date.now())).rejects.toThrow(/No live kiosk token/);
  });

  it("a user session wins over a kiosk cookie in the same browser", async () => {
    const made = await createKioskToken(store, "NOC wall 2", by, Date.now());
    const { cookie } = await signIn("olga", "olga-password-1");
    const r = await resolveActor(deps(), new Headers({ cookie: `${KIOSK_COOKIE}=${made.secret}; ${cookie}` }), Date.now());
    expect(r?.actor.kind).toBe("user");
  });
});

describe("seed users", () => {
  it("are created, then kept at their listed role and password", async () => {
    const u = { username: "demo-viewer", name: "Demo", role: "viewer" as const, password: "demo-password-1" };
    expect(await ensureUser(auth, store, u, Date.now())).toBe("created");
    expect(await ensureUser(auth, store, u, Date.now())).toBe("unchanged");
    expect(await ensureUser(auth, store, { ...u, role: "operator" }, Date.now())).toBe("updated");
    expect(await ensureUser(auth, store, { ...u, role: "operator", password: "demo-password-2" }, Date.now())).toBe("updated");
    expect((await signIn("demo-viewer", "demo-password-1")).status).toBe(401);
    expect((await signIn("demo-viewer", "demo-password-2")).status).toBe(200);
    expect((await listUsers(store)).find((x) => x.username === "demo-viewer")?.role).toBe("operator");
    // Audited, with the config as the actor: created, role brought back, password brought back.
    const rows = (await listAudit(store, { limit: 1000, order: "asc" })).filter((r) => r.targetId === "demo-viewer");
    expect(rows.map((r) => [r.event, r.actorId, r.actorName, r.actorRole, r.actorIp])).toEqual([
      ["user_create", "config", "ha.config.yaml", "config", "config"],
      ["role_change", "config", "ha.config.yaml", "config", "config"],
      ["password_reset", "config", "ha.config.yaml", "config", "config"],
    ]);
    expect(rows[1]!.detail).toBe("demo-viewer: role viewer -> operator (from the config); 0 sessions ended");
    expect(rows.map((r) => r.detail).join(" ")).not.toContain("demo-password");
  });

  it("refuse a short password and a taken name", async () => {
    await expect(createUser(auth, store, { username: "shorty", role: "viewer", password: "short" }, by, Date.now())).rejects.toThrow(/at least 10 characters/);
    await expect(createUser(auth, store, { username: "olga", role: "viewer", password: "long-enough-1" }, by, Date.now())).rejects.toThrow(/exists already/);
  });
});

async function store_rows() {
  const { storeDb } = await import("@/server/store/store");
  const { kioskTokens } = await import("@/server/store/schema-auth");
  return { kiosk: await storeDb(store).select().from(kioskTokens) };
}

describe("endpoints", () => {
  it("serves sign-in, sign-out and get-session, and nothing for self-service changes or username probing", async () => {
    const post = (p: string, body: unknown = {}) =>
      auth.handler(new Request(`http://dash.test/api/auth${p}`, { method: "POST", headers: { "content-type": "application/json", origin: "http://dash.test" }, body: JSON.stringify(body) }));
    for (const p of ["/sign-up/email", "/is-username-available", "/update-user", "/verify-password", "/request-password-reset", "/delete-user"]) {
      expect((await post(p, { email: "x@y.z", password: "whatever-123", name: "x", username: "olga" })).status, p).toBe(404);
    }
    expect((await post("/sign-in/username", { username: "olga", password: "olga-password-1" })).status).toBe(200);
    // Still callable from server code (the failover approval re-checks a password this way).
    const { cookie } = await signIn("olga", "olga-password-1");
    const ok = await auth.api.verifyPassword({ body: { password: "olga-password-1" }, headers: new Headers({ cookie: cookie! }) });
    expect(ok.status).toBe(true);
  });
});
