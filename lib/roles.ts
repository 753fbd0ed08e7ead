/**
 * Who may do what. Client-safe: the UI uses it to decide which controls to show; the server
 * (server/trpc/init.ts) decides what is allowed.
 *
 * The roles form one ladder: each role has every right of the roles below it.
 *   viewer   < operator (requests actions) < approver (approves other people's requests) < admin (users, kiosk tokens, maintenance)
 * The two-person rule of failover is about people, not roles: an approver may request, but never
 * approves their own request, so a ladder does not weaken it.
 */
export const ROLES = ["viewer", "operator", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(x: unknown): x is Role {
  return typeof x === "string" && (ROLES as readonly string[]).includes(x);
}

/** True when `role` is `needed` or above it on the ladder. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Who is making a request: a signed-in person, or a read-only kiosk token (a wall screen). */
export type Actor = { kind: "user"; id: string; name: string; role: Role } | { kind: "kiosk"; tokenId: string };
export type UserActor = Extract<Actor, { kind: "user" }>;

/** What the browser may know about the current actor (the top navigation, which controls to show). */
export type Viewer = { kind: "user"; name: string; username: string | null; role: Role } | { kind: "kiosk"; label: string };
