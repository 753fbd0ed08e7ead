import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor, Role } from "@/lib/roles";
import { listAudit } from "@/server/store/audit";
import { openStore, type Store } from "@/server/store/store";
import { testKiosk, testUser } from "@/server/testing/actors";
import {
  adminProcedure,
  approverProcedure,
  createCallerFactory,
  createInnerTRPCContext,
  createTRPCRouter,
  operatorProcedure,
  publicProcedure,
  roleProcedure,
  viewerProcedure,
} from "./init";
import { REFUSAL_LIMIT } from "./refusal-limit";
import { resetRefusalLimiter } from "./refusals";

/** A router with one procedure per guard, each returning who it saw. */
const who = ({ ctx }: { ctx: { actor: Actor | null } }) => ctx.actor;
const router = createTRPCRouter({
  open: publicProcedure.query(who),
  openAct: publicProcedure.mutation(who),
  read: viewerProcedure.query(who),
  readAct: viewerProcedure.mutation(who),
  request: operatorProcedure.mutation(who),
  approve: approverProcedure.mutation(who),
  admin: adminProcedure.mutation(who),
  adminRead: adminProcedure.query(who),
  opOrAdmin: roleProcedure("admin", "operator").query(who),
});
let store: Store;
beforeAll(async () => {
  store = await openStore({ memory: true });
}, 60_000);
afterAll(async () => {
  await store?.close();
});
beforeEach(() => resetRefusalLimiter());

const caller = (actor: Actor | null, sameOrigin = true, opts: { ip?: string; now?: () => number } = {}) =>
  createCallerFactory(router)(createInnerTRPCContext({ actor, sameOrigin, ip: opts.ip ?? "10.0.0.5", now: opts.now, getStore: async () => store }));

/** The refusal rows written since `since`. */
const refusals = async (since: number) => (await listAudit(store, { since, limit: 1000, order: "asc" })).filter((r) => r.event === "refuse");
/**
 * The refusal rows written after this call, told apart by id: the earlier tests' refusals fall in the
 * same millisecond on a real clock, so a time bound cannot separate them.
 */
async function refusalsFromNow(): Promise<() => Promise<Awaited<ReturnType<typeof refusals>>>> {
  const before = new Set((await refusals(0)).map((r) => r.id));
  return async () => (await refusals(0)).filter((r) => !before.has(r.id));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    expect(e).toBeInstanceOf(TRPCError);
    return (e as TRPCError).code;
  }
}

describe("procedures by role", () => {
  it("reads need a user or a kiosk token", async () => {
    expect(await codeOf(caller(null).read())).toBe("UNAUTHORIZED");
    expect(await caller(testKiosk()).read()).toEqual(testKiosk());
    expect(await caller(testUser("viewer")).read()).toEqual(testUser("viewer"));
    expect(await caller(null).open()).toBeNull();
  });

  it("roles form a ladder: viewer < operator < approver < admin", async () => {
    const table: [Role, string, string, string][] = [
      // role       request  approve  admin
      ["viewer", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"],
      ["operator", "OK", "FORBIDDEN", "FORBIDDEN"],
      ["approver", "OK", "OK", "FORBIDDEN"],
      ["admin", "OK", "OK", "OK"],
    ];
    for (const [role, request, approve, admin] of table) {
      const c = caller(testUser(role));
      expect([role, await codeOf(c.request()), await codeOf(c.approve()), await codeOf(c.admin())]).toEqual([role, request, approve, admin]);
    }
    // roleProcedure with several roles admits from the lowest of them up.
    expect(await codeOf(caller(testUser("viewer")).opOrAdmin())).toBe("FORBIDDEN");
    expect(await codeOf(caller(testUser("approver")).opOrAdmin())).toBe("OK");
  });

  it("a kiosk token never acts, not even through a viewer or public mutation, and never reads admin things", async () => {
    const k = caller(testKiosk());
    for (const p of [k.openAct(), k.readAct(), k.request(), k.approve(), k.admin(), k.adminRead()]) expect(await codeOf(p)).toBe("FORBIDDEN");
  });

  it("every mutation needs the same-origin check; queries do not", async () => {
    const cross = caller(testUser("admin"), false);
    for (const p of [cross.openAct(), cross.readAct(), cross.request(), cross.admin()]) expect(await codeOf(p)).toBe("FORBIDDEN");
    expect(await codeOf(cross.adminRead())).toBe("OK");
    expect(await codeOf(caller(testUser("admin"), true).admin())).toBe("OK");
  });

  it("a refusal says why, without internals", async () => {
    const e = await caller(testUser("viewer")).request().catch((x: unknown) => x as TRPCError);
    expect((e as TRPCError).message).toBe("This needs the operator role; you are viewer");
  });
});

describe("refusals by the access checks are audited", () => {
  it("who, which procedure, why and from where: a role refusal, a kiosk, a cross-site mutation, an anonymous attempt to act", async () => {
    const written = await refusalsFromNow();
    await codeOf(caller(testUser("viewer")).request());
    await codeOf(caller(testKiosk("k_0123456789ab")).readAct());
    await codeOf(caller(testUser("admin"), false).admin());
    await codeOf(caller(null, true, { ip: "203.0.113.7" }).readAct());
    const rows = await written();
    expect(rows.map((r) => [r.actorId, r.actorRole, r.actorIp, r.targetId, r.reason, r.requestId])).toEqual([
      ["test-viewer", "viewer", "10.0.0.5", "request", "This needs the operator role; you are viewer", null],
      ["kiosk:k_0123456789ab", "kiosk", "10.0.0.5", "readAct", "A kiosk token can only read", null],
      ["test-admin", "admin", "10.0.0.5", "admin", "Refused: the request did not come from this dashboard's pages (Origin / Sec-Fetch-Site check)", null],
      ["anonymous", "none", "203.0.113.7", "readAct", "Sign in to see this", null],
    ]);
    expect(rows[0]!.detail).toBe("mutation request refused by the access check");
  });

  it("a signed-out read is refused without a row; an allowed call writes none", async () => {
    const written = await refusalsFromNow();
    expect(await codeOf(caller(null).read())).toBe("UNAUTHORIZED");
    expect(await codeOf(caller(testUser("operator")).request())).toBe("OK");
    expect(await written()).toEqual([]);
  });

  it(`at most ${REFUSAL_LIMIT.max} rows per actor a minute, then one summary of the rest when the minute has passed`, async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const since = now - 1;
    const clock = () => now;
    const viewer = caller(testUser("viewer", "flooder"), true, { now: clock });
    const other = caller(testUser("viewer", "bystander"), true, { now: clock });
    for (let i = 0; i < 40; i++) {
      expect(await codeOf(viewer.admin())).toBe("FORBIDDEN");
      now += 100;
    }
    // Another actor is not silenced by the flood.
    expect(await codeOf(other.admin())).toBe("FORBIDDEN");
    let rows = await refusals(since);
    expect(rows.filter((r) => r.actorId === "flooder")).toHaveLength(REFUSAL_LIMIT.max);
    expect(rows.filter((r) => r.actorId === "bystander")).toHaveLength(1);

    now += REFUSAL_LIMIT.windowMs;
    expect(await codeOf(viewer.admin())).toBe("FORBIDDEN");
    rows = (await refusals(since)).filter((r) => r.actorId === "flooder");
    expect(rows).toHaveLength(REFUSAL_LIMIT.max + 2);
    expect(rows.at(-2)!.detail).toMatch(new RegExp(`^… and ${40 - REFUSAL_LIMIT.max} more refused of this caller between `));
    expect(rows.at(-1)!.targetId).toBe("admin");
  });

  it("anonymous callers are limited per address", async () => {
    const now = Date.UTC(2031, 0, 1);
    const since = now - 1;
    for (let i = 0; i < 20; i++) await codeOf(caller(null, true, { ip: "198.51.100.1", now: () => now }).readAct());
    await codeOf(caller(null, true, { ip: "198.51.100.2", now: () => now }).readAct());
    const rows = await refusals(since);
    expect(rows.filter((r) => r.actorIp === "198.51.100.1")).toHaveLength(REFUSAL_LIMIT.max);
    expect(rows.filter((r) => r.actorIp === "198.51.100.2")).toHaveLength(1);
  });
});
