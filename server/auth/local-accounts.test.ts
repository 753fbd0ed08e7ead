import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthSettings } from "@/server/config/schema";
import { listAudit } from "@/server/store/audit";
import { findUserByUsername, loginFailures } from "@/server/store/auth";
import { openStore, type Store } from "@/server/store/store";
import { createAuth, type Auth } from "./auth";
import { userKey } from "./policy";
import { createUser } from "./users";

/** Whoever creates the test accounts, for their audit rows. */
const SETUP = { id: "setup", name: "setup", role: "cli", ip: "cli" };

/**
 * `auth.localAccounts: [names]`: with single sign-on as the normal way in, only the named break-glass
 * accounts may sign in with a password; anyone else is answered like a wrong password, counted and audited.
 */

const settings = AuthSettings.parse({ loginRateLimit: { windowSeconds: 60, maxFailuresPerAccount: 3, maxFailuresPerAddress: 50 } });
let store: Store;
let auth: Auth;

beforeAll(async () => {
  store = await openStore({ memory: true });
  auth = createAuth({ store, settings, secret: randomBytes(32).toString("base64url"), localAccounts: ["breakglass"] });
  await createUser(auth, store, { username: "breakglass", name: "Break Glass", email: "bg@example.com", role: "admin", password: "breakglass-pw-1" }, SETUP, Date.now());
  await createUser(auth, store, { username: "otto", name: "Otto Operator", email: "otto@example.com", role: "operator", password: "otto-password-1" }, SETUP, Date.now());
}, 60_000);

afterAll(async () => {
  await store?.close();
});

async function signIn(body: Record<string, string>): Promise<number> {
  const path = "email" in body ? "email" : "username";
  const res = await auth.handler(
    new Request(`http://dash.test/api/auth/sign-in/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://dash.test", "x-hacr-client-address": "10.0.0.9" },
      body: JSON.stringify(body),
    }),
  );
  return res.status;
}

async function ottoFailures(): Promise<number | undefined> {
  const otto = await findUserByUsername(store, "otto");
  return (await loginFailures(store, [userKey(otto!.id)]))[0]?.count;
}

describe("local accounts restricted to break-glass names", () => {
  it("the named account signs in with its password, by user name and by email", async () => {
    expect(await signIn({ username: "breakglass", password: "breakglass-pw-1" })).toBe(200);
    expect(await signIn({ email: "bg@example.com", password: "breakglass-pw-1" })).toBe(200);
  });

  it("anyone else is refused with the right password too, answered like a wrong one, counted and audited", async () => {
    expect(await signIn({ username: "otto", password: "otto-password-1" })).toBe(401);
    expect(await signIn({ email: "otto@example.com", password: "otto-password-1" })).toBe(401);
    // Both spellings of the account share its one counter.
    expect(await ottoFailures()).toBe(2);
    const rows = (await listAudit(store, { limit: 50 })).filter((e) => e.event === "local_signin_refused");
    expect(rows.map((e) => [e.targetId, e.actorIp])).toEqual(expect.arrayContaining([["otto", "10.0.0.9"]]));
    expect(rows.length).toBe(2);
  });

  it("the refusals count towards the limit like failures, once each: after three, 429", async () => {
    // Two refusals so far (above); one more reaches the limit of 3, and the next is locked out.
    expect(await ottoFailures()).toBe(2);
    expect(await signIn({ username: "otto", password: "otto-password-1" })).toBe(401);
    expect(await signIn({ username: "otto", password: "otto-password-1" })).toBe(429);
  });
});
