import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/server/auth/auth";
import { loginLimitOf } from "@/server/auth/policy";
import { proveApprover } from "@/server/auth/reauth";
import { createUser } from "@/server/auth/users";
import { parseConfig } from "@/server/config/load";
import { AuthSettings } from "@/server/config/schema";
import { insertRequest } from "@/server/store/actions";
import { newRequest } from "@/server/store/actions-contract";
import { listAudit } from "@/server/store/audit";
import { openStore, type Store } from "@/server/store/store";
import { approve } from "./approve";
import type { ActionActor, ActionDeps } from "./types";

/** Whoever creates the test accounts, for their audit rows. */
const SETUP = { id: "setup", name: "setup", role: "cli", ip: "cli" };

/**
 * Approval's proof of the approver, with better-auth's real password hashes over an in-memory
 * store: the password is the proof (a typed name is not), and wrong passwords are limited.
 */

const settings = AuthSettings.parse({ loginRateLimit: { windowSeconds: 60, maxFailuresPerAccount: 3, maxFailuresPerAddress: 20 } });
const limit = loginLimitOf(settings.loginRateLimit);
let store: Store;
let auth: Auth;
let bob: ActionActor;
let clock = Date.now();

beforeAll(async () => {
  store = await openStore({ memory: true });
  auth = createAuth({ store, settings, secret: randomBytes(32).toString("base64url"), now: () => clock });
  const u = await createUser(auth, store, { username: "bob", name: "Bob", role: "approver", password: "bob-password-1" }, SETUP, Date.now());
  bob = { id: u.id, name: "Bob", role: "approver", ip: "10.1.1.2" };
}, 180_000);

afterAll(async () => {
  await store?.close();
});

function deps(): ActionDeps {
  return {
    store,
    config: parseConfig("version: 1\n", "/tmp/ha.config.yaml", { NODE_ENV: "test" } as NodeJS.ProcessEnv),
    now: () => clock,
    instanceId: "unit",
    proveApprover: (userId, password) => proveApprover({ auth, store, limit, now: clock, reauthWindowMs: 5 * 60_000 }, { userId, session: { createdAt: clock - 3_600_000 } }, password),
  };
}

async function requested(): Promise<number> {
  const r = await insertRequest(store, newRequest(`patroni:approve${Math.random().toString(36).slice(2)}`, { now: clock, expiresAt: clock + 600_000 }), null);
  return r.action.id;
}

describe("approval proves the approver", () => {
  it("typing the target's name is no proof: without the password the approval is refused and audited", async () => {
    const id = await requested();
    const typedName = { id, confirm: { by: "name", value: "labcluster" } } as unknown as Parameters<typeof approve>[2];
    await expect(approve(deps(), bob, typedName)).rejects.toMatchObject({ code: "BAD_REQUEST", message: "re-enter your password to approve" });
    const row = (await listAudit(store, { requestId: id, limit: 10 })).find((r) => r.event === "refuse");
    expect(row).toMatchObject({ actorId: bob.id, detail: "approval refused: re-enter your password to approve" });
  });

  it("wrong passwords are limited: after the limit even the right one is refused for the window (429), then it works", async () => {
    clock = Date.now();
    const id = await requested();
    for (let i = 0; i < 3; i++) {
      await expect(approve(deps(), bob, { id, password: `wrong-password-${i}` }), `try ${i + 1}`).rejects.toMatchObject({ code: "BAD_REQUEST", message: "the password is not correct" });
    }
    await expect(approve(deps(), bob, { id, password: "bob-password-1" })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/^too many wrong passwords: approval by password is locked; try again in (60|59) s$/),
    });
    const refusals = (await listAudit(store, { requestId: id, limit: 10 })).filter((r) => r.event === "refuse");
    expect(refusals).toHaveLength(4);
    clock += 60_000;
    const ok = await approve(deps(), bob, { id, password: "bob-password-1" });
    expect(ok.state).toBe("approved");
    expect((await listAudit(store, { requestId: id, limit: 10 })).find((r) => r.event === "approve")?.detail).toBe("proved by re-entering the password");
  }, 60_000);
});
