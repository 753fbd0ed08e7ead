/**
 * Admin actions (kiosk tokens, roles) in the same append-only audit log as the guarded actions:
 * who, what, when (the row's timestamptz, UTC), from which address ('cli' for `npm run admin`), why.
 * Relative imports: `npm run admin` loads this through tsx, without the "@/" alias.
 */
import { appendAudit, type AuditActor } from "../store/audit";
import type { Store } from "../store/store";

export type AdminAuditEvent =
  | "kiosk_create"
  | "kiosk_revoke"
  | "role_change"
  | "password_change"
  | "user_create"
  | "user_disable"
  | "user_enable"
  | "sessions_end"
  | "password_reset"
  | "role_mapped"
  | "sso_refused"
  | "local_signin_refused"
  | "oidc_sync";

/** The address the audit log records for the command line. */
export const CLI_ADDRESS = "cli";

/** Whoever runs `npm run admin` on the server: not an account, so the OS user and the role "cli". */
export function cliActor(env: NodeJS.ProcessEnv = process.env): AuditActor {
  const who = env.SUDO_USER || env.USER || env.LOGNAME || "unknown";
  return { id: `cli:${who}`, name: who, role: "cli", ip: CLI_ADDRESS };
}

/** The config's seed users (`auth.users`), brought back at start-up: the file is the actor. */
export const CONFIG_ACTOR: AuditActor = { id: "config", name: "ha.config.yaml", role: "config", ip: "config" };

/** An optional free-text reason: trimmed, empty means none. */
export const reasonOrNull = (reason: string | null | undefined) => (reason && reason.trim() ? reason.trim().slice(0, 500) : null);

export async function auditAdmin(
  store: Store,
  e: { by: AuditActor; event: AdminAuditEvent; at: number; target: string; detail: string; reason?: string | null },
): Promise<void> {
  await appendAudit(store, { actor: e.by, event: e.event, at: e.at, targetId: e.target, detail: e.detail, reason: reasonOrNull(e.reason) }, null);
}
