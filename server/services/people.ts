import "server-only";
import type { Role, Viewer } from "@/lib/roles";
import { createKioskToken, listKiosks, revokeKiosk, type KioskTokenRow } from "@/server/auth/kiosk";
import { changeRole, users } from "@/server/auth/users";
import { AppError } from "@/server/errors";
import type { AuditActor } from "@/server/store/actions";
import type { Store } from "@/server/store/store";

/** What an admin sees of a user: never a hash, never a session token. */
export interface UserSummary {
  id: string;
  username: string | null;
  name: string;
  role: string;
  createdAt: number;
}

export async function listUsers(store: Store): Promise<UserSummary[]> {
  return (await users(store)).map((u) => ({ id: u.id, username: u.username, name: u.name, role: u.role, createdAt: u.createdAt }));
}

export const listKioskTokens = (store: Store): Promise<KioskTokenRow[]> => listKiosks(store);

/** The token is returned once, to the admin who made it, and never again. */
export async function createKiosk(store: Store, label: string, by: AuditActor, now: number, reason?: string): Promise<{ token: KioskTokenRow; secret: string; url: string }> {
  const made = await createKioskToken(store, label, by, now, reason);
  return { token: made.row, secret: made.token, url: `/wall?kiosk=${made.token}` };
}

export const revokeKioskToken = (store: Store, id: string, by: AuditActor, now: number, reason?: string): Promise<void> => revokeKiosk(store, id, by, now, reason);

/** An admin cannot change their own role here (no locking oneself out); `npm run admin -- set-role` can. */
export async function setRole(store: Store, username: string, role: Role, by: AuditActor, now: number, reason?: string): Promise<void> {
  const self = (await users(store)).find((u) => u.id === by.id);
  if (self?.username === username) throw new AppError("FORBIDDEN", "You cannot change your own role; ask another admin");
  await changeRole(store, username, role, by, now, reason);
}

export type { Viewer };
