/**
 * The lab's single sign-on people: accounts of the lab's OpenID provider (e2e/lab/services/oidc.ts),
 * not of the dashboard. The provider re-reads .lab/oidc/users.json on every sign-in, so a test changes
 * someone's groups by rewriting it (setOidcGroups); `lab up` writes it again with the groups below.
 * Passwords are random per lab folder, kept beside the demo users' and listed in DEMO-USERS.md.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HOST, LAB_DIR, OIDC } from "./topology";

export const OIDC_DIR = path.join(LAB_DIR, "oidc");
export const OIDC_USERS_FILE = path.join(OIDC_DIR, "users.json");
export const OIDC_CLIENT_SECRET_FILE = path.join(OIDC_DIR, "client-secret");
export const OIDC_ISSUER = `http://${HOST}:${OIDC.port}`;
export const OIDC_CLIENT_ID = "hacr-dashboard";
/** The dashboard's provider id: its callback is /api/auth/callback/<this>. */
export const OIDC_PROVIDER_ID = "sso";
/** Where the dashboard may send people back to: the demo (3000) and Playwright's ports (3100, or another E2E_PORT up to 3109). */
export const OIDC_REDIRECT_URIS = [3000, ...Array.from({ length: 10 }, (_, i) => 3100 + i)].flatMap((port) => ["127.0.0.1", "localhost"].map((h) => `http://${h}:${port}/api/auth/callback/${OIDC_PROVIDER_ID}`));

export const OIDC_USERS: readonly { username: string; name: string; groups: string[] }[] = [
  { username: "olga", name: "Olga Approver", groups: ["noc-approvers", "noc-viewers"] },
  { username: "victor", name: "Victor Viewer", groups: ["noc-viewers"] },
  { username: "ada", name: "Ada Administrator", groups: ["noc-admins"] },
];

export interface OidcUserRecord {
  password: string;
  name: string;
  email: string;
  groups: string[];
}

const passwordFile = (username: string) => path.join(OIDC_DIR, `${username}-password`);
export const oidcEmail = (username: string) => `${username}@sso.lab.test`;

export function oidcPassword(username: string): string {
  return readFileSync(passwordFile(username), "utf8").trim();
}

export function oidcClientSecret(): string {
  return readFileSync(OIDC_CLIENT_SECRET_FILE, "utf8").trim();
}

/** Creates the missing password files and the client secret; writes users.json with the default groups. */
export function writeOidcUsers(): void {
  mkdirSync(OIDC_DIR, { recursive: true, mode: 0o700 });
  for (const u of OIDC_USERS) {
    const f = passwordFile(u.username);
    if (!existsSync(f)) writeFileSync(f, `sso-${u.username}-${randomBytes(6).toString("hex")}\n`, { mode: 0o600 });
  }
  if (!existsSync(OIDC_CLIENT_SECRET_FILE)) writeFileSync(OIDC_CLIENT_SECRET_FILE, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  const users = Object.fromEntries(OIDC_USERS.map((u) => [u.username, { password: oidcPassword(u.username), name: u.name, email: oidcEmail(u.username), groups: u.groups }]));
  writeUsers(users);
}

export function readOidcUsers(): Record<string, OidcUserRecord> {
  return JSON.parse(readFileSync(OIDC_USERS_FILE, "utf8")) as Record<string, OidcUserRecord>;
}

function writeUsers(users: Record<string, OidcUserRecord>): void {
  const tmp = `${OIDC_USERS_FILE}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, OIDC_USERS_FILE);
}

/** Changes someone's groups at the provider; takes effect at their next sign-in there. */
export function setOidcGroups(username: string, groups: string[]): void {
  const users = readOidcUsers();
  const u = users[username];
  if (!u) throw new Error(`no lab SSO user ${username}`);
  users[username] = { ...u, groups };
  writeUsers(users);
}
