/**
 * The lab's demo accounts, one per role. Passwords are random, made once per lab folder and kept
 * across `lab up` (so a running dashboard's users keep working); the dashboard config lists them
 * under `auth.users`, so the dashboard creates them (or brings them back) when it starts.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Role } from "../../lib/roles";
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET_FILE, OIDC_ISSUER, OIDC_USERS, oidcPassword } from "./oidc-users";
import { LAB_DIR } from "./topology";

export const DEMO_USERS: readonly { username: string; name: string; role: Role }[] = [
  { username: "viewer", name: "Vera Viewer", role: "viewer" },
  { username: "operator", name: "Otto Operator", role: "operator" },
  { username: "approver", name: "Alma Approver", role: "approver" },
  { username: "admin", name: "Ada Admin", role: "admin" },
];

export const DEMO_USERS_DIR = path.join(LAB_DIR, "demo-users");
export const DEMO_USERS_README = path.join(LAB_DIR, "DEMO-USERS.md");
/** Relative to the dashboard config (.lab/ha.config.yaml). */
export const demoPasswordRef = (username: string) => ({ file: `demo-users/${username}-password` });
const passwordFile = (username: string) => path.join(DEMO_USERS_DIR, `${username}-password`);

/** Creates the missing password files and rewrites DEMO-USERS.md. */
export function writeDemoUsers(): void {
  mkdirSync(DEMO_USERS_DIR, { recursive: true, mode: 0o700 });
  chmodSync(DEMO_USERS_DIR, 0o700);
  for (const u of DEMO_USERS) {
    const f = passwordFile(u.username);
    if (!existsSync(f)) writeFileSync(f, `demo-${u.username}-${randomBytes(6).toString("hex")}\n`, { mode: 0o600 });
  }
  const ssoRows = OIDC_USERS.map((u) => `| ${u.username} | ${u.groups.join(", ")} | \`${oidcPassword(u.username)}\` |`).join("\n");
  const rows = DEMO_USERS.map((u) => `| ${u.username} | ${u.role} | \`${demoPassword(u.username)}\` |`).join("\n");
  writeFileSync(
    DEMO_USERS_README,
    `# Demo users of this lab\n\nSign in at http://localhost:3000/login. Made by \`npm run lab -- up\`; kept until the .lab folder is deleted.\n\n| user | role | password |\n| --- | --- | --- |\n${rows}\n\nSingle sign-on: "Sign in with Lab SSO" on the sign-in page opens the lab's OpenID provider (${OIDC_ISSUER}). Its people (roles from their groups: noc-admins admin, noc-approvers approver, noc-operators operator, noc-viewers viewer):\n\n| user | groups | password |\n| --- | --- | --- |\n${ssoRows}\n\nA wall screen without a user: an admin makes a kiosk token on the Admin page (or \`npm run admin -- kiosk create <label>\` with the dashboard stopped) and opens /wall?kiosk=<token>.\n`,
    { mode: 0o600 },
  );
}

export function demoPassword(username: string): string {
  return readFileSync(passwordFile(username), "utf8").trim();
}

/** The `auth:` section of the lab's dashboard config: the demo users, and single sign-on through the lab's provider. */
export function demoAuthConfig() {
  return {
    users: DEMO_USERS.map((u) => ({ username: u.username, name: u.name, role: u.role, password: demoPasswordRef(u.username) })),
    oidc: {
      issuer: OIDC_ISSUER,
      clientId: OIDC_CLIENT_ID,
      clientSecret: { file: path.relative(LAB_DIR, OIDC_CLIENT_SECRET_FILE) },
      displayName: "Lab SSO",
      groupsClaim: "groups",
      roleMapping: [
        { group: "noc-viewers", role: "viewer" },
        { group: "noc-operators", role: "operator" },
        { group: "noc-approvers", role: "approver" },
        { group: "noc-admins", role: "admin" },
      ],
      noMatch: "refuse",
    },
  };
}
