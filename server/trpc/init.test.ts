import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import type { Actor, Role } from "@/lib/roles";
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
const caller = (actor: Actor | null, sameOrigin = true) => createCallerFactory(router)(createInnerTRPCContext({ actor, sameOrigin }));

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
