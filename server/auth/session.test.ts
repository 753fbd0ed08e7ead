import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthSettings } from "@/server/config/schema";
import { listUsers, sessionTimes, setSessionTimes } from "@/server/store/auth";
import { listAudit } from "@/server/store/audit";
import { openStore, type Store } from "@/server/store/store";
import { createAuth, type Auth } from "./auth";
import { PEER_HEADER, ProxyList } from "./client-address";
import { serveAuth, type AuthHttpDeps } from "./http";
import { createKioskToken, hashKioskToken, KIOSK_COOKIE, revokeKiosk } from "./kiosk";
import { loginLimitOf, sessionPolicyOf } from "./policy";
import { proveApprover } from "./reauth";
import { actorStillValid, resolveActor, sessionActor } from "./session";
import { changeRole, createUser, ensureUser } from "./users";

/** Whoever creates the test accounts, for their audit rows. */
const SETUP = { id: "setup", name: "setup", role: "cli", ip: "cli" };

const by = { id: "u-test", name: "test", role: "admin", ip: "127.0.0.1" };

/**
 * better-auth over a real (in-memory) PGlite control store: sign in through the dashboard's HTTP
 * handler for /api/auth (server/auth/http.ts, as app/api/auth serves it, with the socket peer the
 * dashboard's server would set), then resolve the cookie as the tRPC context does, with the clock
 * moved instead of waited for.
 */

const MIN = 60_000;
/** A request a person made (a click, a mutation); POLL is the page's own background refresh. */
const USE = { activity: true };
const POLL = { activity: false };
const HOUR = 60 * MIN;
const settings = AuthSettings.parse({ loginRateLimit: { windowSeconds: 60, maxFailuresPerAccount: 3, maxFailuresPerAddress: 20 } });
const policy = sessionPolicyOf(settings);
let store: Store;
let auth: Auth;
let clock = Date.now();
const limit = loginLimitOf(settings.loginRateLimit);
const deps = () => ({ auth, store, policy });
const http = (): AuthHttpDeps => ({ auth, store, policy, limit, proxies: new ProxyList([]), now: () => clock, peerKnown: true });

beforeAll(async () => {
  store = await openStore({ memory: true });
  auth = createAuth({ store, settings, secret: randomBytes(32).toString("base64url"), now: () => clock });
  await createUser(auth, store, { username: "olga", name: "Olga Operator", role: "operator", password: "olga-password-1" }, by, Date.now());
}, 60_000);

afterAll(async () => {
  await store?.close();
});

/** A sign-in from the socket address `ip`, with any extra headers the client chooses to send. */
async function signIn(username: string, password: string, ip = "10.0.0.1", extra: Record<string, string> = {}): Promise<{ status: number; cookie: string | null; body: unknown }> {
  const byEmail = username.includes("@");
  const res = await serveAuth(
    http(),
    new Request(`http://dash.test/api/auth/sign-in/${byEmail ? "email" : "username"}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://dash.test", ...extra, [PEER_HEADER]: ip },
      body: JSON.stringify(byEmail ? { email: username, password } : { username, password }),
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
    const first = await sessionActor(deps(), headers, t0, USE);
    expect(first?.actor.role).toBe("operator");
    // Used at +29 min: still active, and the use is recorded…
    expect(await sessionActor(deps(), headers, t0 + 29 * MIN, USE)).not.toBeNull();
    expect((await sessionTimes(store, first!.sessionId))!.lastSeenAt).toBe(t0 + 29 * MIN);
    // …so +58 min is only 29 idle minutes later.
    expect(await sessionActor(deps(), headers, t0 + 58 * MIN, USE)).not.toBeNull();
    // 30 minutes without use: gone, and deleted from the store (dead on every instance).
    expect(await sessionActor(deps(), headers, t0 + 88 * MIN, USE)).toBeNull();
    expect(await sessionTimes(store, first!.sessionId)).toBeNull();
    expect(await sessionActor(deps(), headers, t0 + 58 * MIN, USE)).toBeNull();
  });

  it("ends 12 hours after sign-in however busy", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const headers = new Headers({ cookie: cookie! });
    const t0 = Date.now();
    const r = await sessionActor(deps(), headers, t0, USE);
    for (let t = t0; t < t0 + 12 * HOUR; t += 20 * MIN) expect(await sessionActor(deps(), headers, t, USE), `at +${(t - t0) / MIN} min`).not.toBeNull();
    expect(await sessionActor(deps(), headers, t0 + 12 * HOUR + 1000, USE)).toBeNull();
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

const authReq = (path: string, init: { method?: string; cookie?: string; body?: unknown; ip?: string; headers?: Record<string, string> } = {}) =>
  serveAuth(
    http(),
    new Request(`http://dash.test/api/auth${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        origin: "http://dash.test",
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...init.headers,
        [PEER_HEADER]: init.ip ?? "10.0.0.1",
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
  );

describe("the client's address is the socket's, whatever X-Forwarded-For says", () => {
  it("a forged X-Forwarded-For does not escape the per-address limit", async () => {
    clock = Date.now();
    // 20 failures per address in this file's settings; each try claims another address.
    for (let i = 0; i < 20; i++) expect((await signIn(`spray${i}`, "wrong-password", "10.6.6.6", { "x-forwarded-for": `198.51.100.${i}` })).status).toBe(401);
    expect((await signIn("olga", "olga-password-1", "10.6.6.6", { "x-forwarded-for": "198.51.100.200" })).status).toBe(429);
  }, 60_000);

  it("a forged X-Forwarded-For cannot lock out the address it names", async () => {
    clock = Date.now();
    for (let i = 0; i < 21; i++) await signIn(`lock${i}`, "wrong-password", "10.5.5.5", { "x-forwarded-for": "10.5.5.6", "x-real-ip": "10.5.5.6" });
    expect((await signIn("olga", "olga-password-1", "10.5.5.6")).status).toBe(200);
  }, 60_000);

  it("better-auth records the socket address on the session, not the forged one", async () => {
    const { cookie } = await signIn("olga", "olga-password-1", "10.4.4.4", { "x-forwarded-for": "203.0.113.77" });
    const res = await authReq("/get-session", { cookie: cookie!, ip: "10.4.4.4" });
    expect(((await res.json()) as { session: { ipAddress: string | null } }).session.ipAddress).toBe("10.4.4.4");
  });

  it("without the dashboard's server no address is believed: no per-address counter, nothing forged recorded", async () => {
    const res = await serveAuth(
      { ...http(), peerKnown: false },
      new Request("http://dash.test/api/auth/sign-in/username", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://dash.test", [PEER_HEADER]: "10.3.3.3", "x-forwarded-for": "203.0.113.78" },
        body: JSON.stringify({ username: "olga", password: "olga-password-1" }),
      }),
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("hacr.session_token="))!.split(";")[0]!;
    const s = (await (await authReq("/get-session", { cookie })).json()) as { session: { ipAddress: string | null } };
    // better-auth itself falls back to 127.0.0.1 under NODE_ENV=test and to none in production; never the claimed address.
    expect(s.session.ipAddress).not.toBe("203.0.113.78");
    expect(s.session.ipAddress).not.toBe("10.3.3.3");
  });
});

describe("the per-account limit counts the account, however it is spelt", () => {
  it("user name and email share one counter", async () => {
    await createUser(auth, store, { username: "quinn", email: "Quinn@Example.test", role: "viewer", password: "quinn-password-1" }, SETUP, Date.now());
    clock = Date.now();
    expect((await signIn("quinn", "wrong-password", "10.2.0.1")).status).toBe(401);
    expect((await signIn("quinn@example.test", "wrong-password", "10.2.0.2")).status).toBe(401);
    expect((await signIn("QUINN@EXAMPLE.TEST", "wrong-password", "10.2.0.3")).status).toBe(401);
    expect((await signIn("quinn", "quinn-password-1", "10.2.0.4")).status).toBe(429);
    expect((await signIn("quinn@example.test", "quinn-password-1", "10.2.0.5")).status).toBe(429);
    clock += 60_000;
    expect((await signIn("quinn@example.test", "quinn-password-1", "10.2.0.6")).status).toBe(200);
  }, 30_000);
});

describe("password checks outside sign-in", () => {
  it("approval by password counts wrong passwords with sign-in's, then is locked for the window", async () => {
    const u = await createUser(auth, store, { username: "abby", role: "approver", password: "abby-password-1" }, SETUP, Date.now());
    clock = Date.now();
    const d = () => ({ auth, store, limit, now: clock, reauthWindowMs: 5 * MIN });
    const who = { userId: u.id, session: { createdAt: clock - HOUR } };
    expect(await proveApprover(d(), who, "wrong-password")).toEqual({ ok: false, code: "BAD_REQUEST", why: "the password is not correct" });
    expect((await signIn("abby", "wrong-password")).status).toBe(401);
    expect((await proveApprover(d(), who, "wrong-password")).ok).toBe(false);
    // Three failures (this file's limit) in all: even the right password is refused now, with when to retry.
    expect(await proveApprover(d(), who, "abby-password-1")).toEqual({ ok: false, code: "TOO_MANY_REQUESTS", why: expect.stringMatching(/locked; try again in \d+ s$/) });
    expect((await signIn("abby", "abby-password-1")).status).toBe(429);
    clock += 60_000;
    expect(await proveApprover(d(), who, "abby-password-1")).toEqual({ ok: true, by: "password" });
  }, 30_000);

  it("typing nothing is no proof for an account with a password; an account without one needs a fresh sign-in", async () => {
    const u = await createUser(auth, store, { username: "bert", role: "approver", password: "bert-password-1" }, SETUP, Date.now());
    clock = Date.now();
    const d = { auth, store, limit, now: clock, reauthWindowMs: 5 * MIN };
    expect(await proveApprover(d, { userId: u.id, session: { createdAt: clock } }, undefined)).toEqual({ ok: false, code: "BAD_REQUEST", why: "re-enter your password to approve" });
    // A single sign-on account: no credential row.
    const { storeDb } = await import("@/server/store/store");
    const { authAccounts } = await import("@/server/store/schema-auth");
    const { eq } = await import("drizzle-orm");
    await storeDb(store).delete(authAccounts).where(eq(authAccounts.userId, u.id));
    expect(await proveApprover(d, { userId: u.id, session: { createdAt: clock - 4 * MIN } }, undefined)).toEqual({ ok: true, by: "fresh sign-in" });
    expect(await proveApprover(d, { userId: u.id, session: { createdAt: clock - 6 * MIN } }, undefined)).toEqual({
      ok: false,
      code: "FORBIDDEN",
      why: "sign in again to approve: approval needs a sign-in within the last 5 min",
    });
  });

  it("change-password counts a wrong current password, locks after the limit, and a change is audited and ends the other sessions", async () => {
    await createUser(auth, store, { username: "cleo", role: "operator", password: "cleo-password-1" }, SETUP, Date.now());
    clock = Date.now();
    const here = (await signIn("cleo", "cleo-password-1", "10.1.0.1")).cookie!;
    const elsewhere = (await signIn("cleo", "cleo-password-1", "10.1.0.2")).cookie!;
    const change = (currentPassword: string, newPassword: string) => authReq("/change-password", { cookie: here, ip: "10.1.0.1", body: { currentPassword, newPassword }, headers: { "x-forwarded-for": "203.0.113.5" } });

    expect((await change("wrong-password", "cleo-password-2")).status).toBe(400);
    expect((await change("wrong-password", "cleo-password-2")).status).toBe(400);
    const ok = await change("cleo-password-1", "cleo-password-2");
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).not.toMatch(/"token"/);
    // The other browser is signed out; this one stays.
    expect(await resolveActor(deps(), new Headers({ cookie: elsewhere }), clock)).toBeNull();
    expect(await resolveActor(deps(), new Headers({ cookie: here }), clock)).not.toBeNull();
    const row = (await listAudit(store, { limit: 50 })).find((r) => r.event === "password_change" && r.targetId === "cleo");
    expect(row).toMatchObject({ actorName: "cleo", actorIp: "10.1.0.1", detail: "changed their own password; 1 other session(s) ended" });

    // The two wrong tries counted: one more and the account is locked, for change-password and sign-in alike.
    expect((await change("wrong-password", "cleo-password-3")).status).toBe(400);
    const locked = await change("cleo-password-2", "cleo-password-3");
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn("cleo", "cleo-password-2", "10.1.0.3")).status).toBe(429);
  }, 60_000);

  it("a change with revokeOtherSessions (as the change-password page sends it) keeps the browser's new session and ends the rest", async () => {
    await createUser(auth, store, { username: "dora", role: "operator", password: "dora-password-1" }, SETUP, Date.now());
    clock = Date.now();
    const here = (await signIn("dora", "dora-password-1", "10.1.0.1")).cookie!;
    const elsewhere = (await signIn("dora", "dora-password-1", "10.1.0.2")).cookie!;
    const ok = await authReq("/change-password", { cookie: here, ip: "10.1.0.1", body: { currentPassword: "dora-password-1", newPassword: "dora-password-2", revokeOtherSessions: true } });
    expect(ok.status).toBe(200);
    const replaced = ok.headers.getSetCookie().find((c) => c.startsWith("hacr.session_token="))?.split(";")[0];
    expect(replaced).toBeDefined();
    expect(await resolveActor(deps(), new Headers({ cookie: replaced! }), clock)).not.toBeNull();
    expect(await resolveActor(deps(), new Headers({ cookie: elsewhere }), clock)).toBeNull();
    const row = (await listAudit(store, { limit: 50 })).find((r) => r.event === "password_change" && r.targetId === "dora");
    expect(row?.detail).toBe("changed their own password; 1 other session(s) ended");
  }, 60_000);
});

describe("idle sessions", () => {
  it("a page that only polls idles out; a person's request keeps the session", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const headers = new Headers({ cookie: cookie! });
    const t0 = Date.now();
    const first = (await sessionActor(deps(), headers, t0, USE))!;
    const seen = (await sessionTimes(store, first.sessionId))!.lastSeenAt;
    // Polled for 29 minutes: no use recorded…
    for (let t = t0; t < t0 + 29 * MIN; t += 2 * MIN) expect(await sessionActor(deps(), headers, t, POLL)).not.toBeNull();
    expect((await sessionTimes(store, first.sessionId))!.lastSeenAt).toBe(seen);
    // …so at 30 idle minutes it ends, however many polls came.
    expect(await sessionActor(deps(), headers, seen + 30 * MIN, POLL)).toBeNull();
  });

  it("only marked requests, page loads and navigations count as a person's", async () => {
    const { isUserActivity } = await import("./session");
    expect(isUserActivity(new Headers({ "x-hacr-activity": "1" }))).toBe(true);
    expect(isUserActivity(new Headers({ "sec-fetch-user": "?1", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" }))).toBe(true);
    expect(isUserActivity(new Headers({ rsc: "1" }))).toBe(true);
    expect(isUserActivity(new Headers({ rsc: "1", "next-router-prefetch": "1" }))).toBe(false);
    expect(isUserActivity(new Headers({ "content-type": "application/json", "sec-fetch-mode": "cors" }))).toBe(false);
    expect(isUserActivity(new Headers({ accept: "text/event-stream" }))).toBe(false);
  });

  it("better-auth's own endpoints end an idle session before answering", async () => {
    const { cookie } = await signIn("olga", "olga-password-1");
    const r = (await resolveActor(deps(), new Headers({ cookie: cookie! }), Date.now()))! as { sessionId: string };
    await setSessionTimes(store, r.sessionId, { lastSeenAt: Date.now() - 31 * MIN });
    const res = await authReq("/get-session", { cookie: cookie! });
    expect(await res.json()).toBeNull();
    expect(await sessionTimes(store, r.sessionId)).toBeNull();
    const cp = await authReq("/change-password", { cookie: cookie!, body: { currentPassword: "olga-password-1", newPassword: "olga-password-9" } });
    expect(cp.status).toBe(401);
  });
});

describe("answers carry no session token", () => {
  it("sign-in and get-session leave the token to the httpOnly cookie", async () => {
    const res = await authReq("/sign-in/username", { body: { username: "olga", password: "olga-password-1" } });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("hacr.session_token="))!;
    const token = decodeURIComponent(cookie.split(";")[0]!.split("=")[1]!).split(".")[0]!;
    const body = await res.text();
    expect(body).not.toContain(token);
    expect(JSON.parse(body)).not.toHaveProperty("token");
    const s = await (await authReq("/get-session", { cookie: cookie.split(";")[0]! })).text();
    expect(s).not.toContain(token);
    expect(JSON.parse(s).session).not.toHaveProperty("token");
    expect(JSON.parse(s).user.name).toBe("Olga Operator");
  });
});
