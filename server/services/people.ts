import "server-only";
import type { Viewer } from "@/lib/roles";
import { createKioskToken, listKiosks, revokeKiosk, type KioskTokenRow } from "@/server/auth/kiosk";
import { users } from "@/server/auth/users";
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
export async function createKiosk(store: Store, label: string, createdBy: string, now: number): Promise<{ token: KioskTokenRow; secret: string; url: string }> {
  const made = await createKioskToken(store, label, createdBy, now);
  return { token: made.row, secret: made.token, url: `/wall?kiosk=${made.token}` };
}

export const revokeKioskToken = (store: Store, id: string, now: number): Promise<void> => revokeKiosk(store, id, now);

export type { Viewer };
