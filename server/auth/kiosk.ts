/**
 * Read-only kiosk tokens for wall screens. The token is shown once at creation; the store keeps
 * only its SHA-256 (a token is 256 random bits, so a fast hash is enough: there is nothing to guess).
 */
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError, parseInput } from "../errors";
import type { AuditActor } from "../store/audit";
import { auditAdmin } from "./admin-audit";
import { findKioskToken, insertKioskToken, kioskTokenLive, listKioskTokens, revokeKioskToken, touchKioskToken, type KioskTokenRow } from "../store/auth";
import { withTransaction, type Store } from "../store/store";

export type { KioskTokenRow } from "../store/auth";

/** The httpOnly cookie a wall screen keeps its token in, after /wall?kiosk=<token>. */
export const KIOSK_COOKIE = "hacr.kiosk";
const TOKEN_PREFIX = "hacrk_";
/** Writing last_used_at on every wall request would be noise; once a minute is enough. */
const TOUCH_EVERY_MS = 60_000;

export const KioskLabel = z.string().trim().min(1, { error: "give the screen a label" }).max(100);
export const KioskTokenId = z.string().regex(/^k_[0-9a-f]{12}$/, { error: "expected a kiosk token id such as k_0123456789ab" });

export const hashKioskToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
export const looksLikeKioskToken = (s: string) => /^hacrk_[A-Za-z0-9_-]{43}$/.test(s);

export interface NewKioskToken {
  token: KioskTokenRow;
  /** The only time the token exists outside the screen it is given to: returned once, to whoever made it. */
  secret: string;
  /** The wall's address with the token, for the screen to open once. */
  url: string;
}

/** Made by `by` (an admin, or the command line), recorded in the audit log. */
export async function createKioskToken(store: Store, label: string, by: AuditActor, now: number, reason?: string | null): Promise<NewKioskToken> {
  const parsedLabel = parseInput(KioskLabel, label, { root: "label" });
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const id = `k_${randomBytes(6).toString("hex")}`;
  const row = await withTransaction(store, async (tx) => {
    const r = await insertKioskToken(tx, { id, label: parsedLabel, tokenHash: hashKioskToken(token), createdBy: by.name, now });
    await auditAdmin(tx, { by, event: "kiosk_create", at: now, target: id, detail: `kiosk token ${id} "${r.label}" created (read-only)`, reason });
    return r;
  });
  return { token: row, secret: token, url: `/wall?kiosk=${token}` };
}

export async function revokeKiosk(store: Store, id: string, by: AuditActor, now: number, reason?: string | null): Promise<void> {
  if (!KioskTokenId.safeParse(id).success) throw new AppError("BAD_REQUEST", "expected a kiosk token id such as k_0123456789ab");
  await withTransaction(store, async (tx) => {
    if (!(await revokeKioskToken(tx, id, now))) throw new AppError("NOT_FOUND", `No live kiosk token ${id}`);
    await auditAdmin(tx, { by, event: "kiosk_revoke", at: now, target: id, detail: `kiosk token ${id} revoked`, reason });
  });
}

export { listKioskTokens };

/** The live token this string is, or null (unknown, revoked or malformed). */
export async function verifyKioskToken(store: Store, token: string, now: number): Promise<KioskTokenRow | null> {
  if (!looksLikeKioskToken(token)) return null;
  const row = await findKioskToken(store, hashKioskToken(token));
  if (!row) return null;
  if (row.lastUsedAt === null || now - row.lastUsedAt >= TOUCH_EVERY_MS) await touchKioskToken(store, row.id, now);
  return row;
}

export const kioskStillLive = (store: Store, id: string) => kioskTokenLive(store, id);
