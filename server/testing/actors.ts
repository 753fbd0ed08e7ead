import type { Actor, Role } from "@/lib/roles";

/** A signed-in user of the given role, for createCaller tests: `createInnerTRPCContext({ actor: testUser("viewer") })`. */
export function testUser(role: Role, id = `test-${role}`): Extract<Actor, { kind: "user" }> {
  return { kind: "user", id, name: `Test ${role}`, role };
}

export const testKiosk = (tokenId = "k_000000000000"): Extract<Actor, { kind: "kiosk" }> => ({ kind: "kiosk", tokenId });
