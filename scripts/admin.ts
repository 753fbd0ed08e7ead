/**
 * `npm run admin -- <command>`: accounts and kiosk tokens, on the server, against the control
 * store the dashboard uses (HA_STORE_DIR / HA_STORE_URL, as the dashboard reads them).
 *
 *   create-admin <name>            the first admin; password from stdin (or HA_ADMIN_PASSWORD), never argv
 *   create-user <name> <role>      viewer | operator | approver | admin; password as above
 *   set-role <name> <role>         ends the user's sessions
 *   disable <name> | enable <name> a disabled account cannot sign in; its sessions end
 *   reset-password <name>          prints a one-time password, to be changed at the next sign-in
 *   end-sessions <name>            signs the user out everywhere
 *   users                          list accounts
 *   kiosk create <label>           prints a read-only token for a wall screen (only its hash is stored)
 *   kiosk revoke <id>
 *   kiosk list
 *   oidc-sync [name]               ends the sessions of single sign-on users (one, by user name or email, or all):
 *                                  each signs in again and gets the role their groups give now
 *   --reason <text>                 why, for the audit log
 *
 * Every change is written to the audit log with the address 'cli' and the OS user.
 * With the embedded store (PGlite) only one process may open it: stop the dashboard first, or use
 * the Admin page for kiosk tokens. With HA_STORE_URL (PostgreSQL) it runs beside the dashboard.
 */
import { randomBytes } from "node:crypto";
import { isRole, ROLES, type Role } from "../lib/roles";
import { createAuth } from "../server/auth/auth";
import { cliActor } from "../server/auth/admin-audit";
import { createKioskToken, listKioskTokens, revokeKiosk } from "../server/auth/kiosk";
import { endSsoSessions } from "../server/auth/oidc";
import { changeRole, createUser, endSessions, listUsers, resetPassword, setDisabled } from "../server/auth/users";
import { ConfigError, loadConfig } from "../server/config/load";
import { AuthSettings } from "../server/config/schema";
import { AppError } from "../server/errors";
import { countAdmins } from "../server/store/auth";
import { storeTargetFromEnv } from "../server/store/options";
import { openStore, type Store } from "../server/store/store";

const USAGE = `usage: npm run admin -- <command>
  create-admin <name>          password from stdin or HA_ADMIN_PASSWORD (never on the command line)
  create-user <name> <role>    role: ${ROLES.join(" | ")}
  set-role <name> <role>
  disable <name> | enable <name> | reset-password <name> | end-sessions <name>
  users
  kiosk create <label> | kiosk revoke <id> | kiosk list
  oidc-sync [name]             end single sign-on users' sessions (one, or all) so their roles are mapped again
  --reason <text>              why, kept in the audit log`;

class UsageError extends Error {}

function authSettings() {
  try {
    return loadConfig().auth;
  } catch (e) {
    // The command works without a (valid) topology file: it only needs the password rules.
    if (e instanceof ConfigError) return AuthSettings.parse({});
    throw e;
  }
}

async function openFromEnv(): Promise<Store> {
  const t = storeTargetFromEnv(process.env, process.cwd());
  return openStore(t.backend === "postgres" ? { url: t.url } : t.memory ? { memory: true } : { dataDir: t.dataDir });
}

/** The password, from HA_ADMIN_PASSWORD or stdin: typed at a hidden prompt, or piped (first line). */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.HA_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  const ask = async (prompt: string) => {
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let s = "";
    try {
      for await (const c of stdin) {
        for (const ch of (c as Buffer).toString("utf8")) {
          if (ch === "\r" || ch === "\n") return s;
          if (ch === "\u0003") throw new UsageError("cancelled");
          if (ch === "\u007f") s = s.slice(0, -1);
          else s += ch;
        }
      }
      return s;
    } finally {
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    }
  };
  const a = await ask("password: ");
  const b = await ask("again:    ");
  if (a !== b) throw new UsageError("the two passwords differ");
  return a;
}

function role(x: string | undefined): Role {
  if (!isRole(x)) throw new UsageError(`expected a role: ${ROLES.join(" | ")}`);
  return x;
}

function arity(args: string[], n: number): void {
  // A password typed as an extra argument would end up in the shell history and `ps`: refuse it.
  if (args.length !== n) throw new UsageError(args.length > n ? "too many arguments (passwords are read from stdin, never from the command line)" : "missing argument");
}

/** Takes `--reason <text>` (or `--reason=<text>`) out of the arguments. */
function takeReason(argv: string[]): { args: string[]; reason: string | null } {
  const args: string[] = [];
  let reason: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--reason") {
      if (i + 1 >= argv.length) throw new UsageError("--reason needs a text");
      reason = argv[++i]!;
    } else if (a.startsWith("--reason=")) reason = a.slice("--reason=".length);
    else args.push(a);
  }
  return { args, reason };
}

async function main(argv0: string[]): Promise<void> {
  const { args: argv, reason } = takeReason(argv0);
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "help" || cmd === "--help") {
    console.log(USAGE);
    return;
  }
  const store = await openFromEnv();
  try {
    // Only the password hasher is used here; the cookie key does not matter to this process.
    const auth = createAuth({ store, settings: authSettings(), secret: randomBytes(32).toString("base64url") });
    switch (cmd) {
      case "create-admin": {
        arity(rest, 1);
        const before = await countAdmins(store);
        const u = await createUser(auth, store, { username: rest[0]!, role: "admin", password: await readPassword() }, cliActor(), Date.now(), reason);
        console.log(`created admin ${u.username} (${before === 0 ? "the first admin" : `${before + 1} admins now`})`);
        return;
      }
      case "create-user": {
        arity(rest, 2);
        const r = role(rest[1]);
        const u = await createUser(auth, store, { username: rest[0]!, role: r, password: await readPassword() }, cliActor(), Date.now(), reason);
        console.log(`created ${r} ${u.username}`);
        return;
      }
      case "set-role": {
        arity(rest, 2);
        await changeRole(store, rest[0]!, role(rest[1]), cliActor(), Date.now(), reason);
        console.log(`${rest[0]} is now ${rest[1]}; their sessions were ended`);
        return;
      }
      case "disable":
      case "enable": {
        arity(rest, 1);
        await setDisabled(store, rest[0]!, cmd === "disable", cliActor(), Date.now(), reason);
        console.log(cmd === "disable" ? `${rest[0]} is disabled; their sessions were ended` : `${rest[0]} may sign in again`);
        return;
      }
      case "reset-password": {
        arity(rest, 1);
        const { oneTimePassword } = await resetPassword(auth, store, rest[0]!, cliActor(), Date.now(), reason);
        console.log(`one-time password for ${rest[0]} (shown once; they must change it at their next sign-in):`);
        console.log(oneTimePassword);
        return;
      }
      case "end-sessions": {
        arity(rest, 1);
        const n = await endSessions(store, rest[0]!, cliActor(), Date.now(), reason);
        console.log(`${rest[0]}: ${n} session(s) ended`);
        return;
      }
      case "oidc-sync": {
        if (rest.length > 1) throw new UsageError("too many arguments");
        const r = await endSsoSessions(store, cliActor(), Date.now(), rest[0]);
        console.log(`ended ${r.sessions} session(s) of ${r.users} single sign-on user(s); roles are mapped again at their next sign-in`);
        return;
      }
      case "users": {
        arity(rest, 0);
        for (const u of await listUsers(store)) {
          const flags = [u.disabledAt !== null ? "disabled" : "", u.mustChangePassword ? "must-change-password" : ""].filter(Boolean).join(" ");
          console.log(`${(u.username ?? "-").padEnd(24)} ${u.role.padEnd(9)} ${u.name}${flags ? `  [${flags}]` : ""}`);
        }
        return;
      }
      case "kiosk": {
        const [sub, ...args] = rest;
        if (sub === "create") {
          arity(args, 1);
          const made = await createKioskToken(store, args[0]!, cliActor(), Date.now(), reason);
          console.log(`kiosk token ${made.token.id} "${made.token.label}" (read-only). Shown once; only its hash is stored:`);
          console.log(made.secret);
          console.log(`open on the screen: https://<dashboard>/wall?kiosk=${made.secret}`);
          return;
        }
        if (sub === "revoke") {
          arity(args, 1);
          await revokeKiosk(store, args[0]!, cliActor(), Date.now(), reason);
          console.log(`revoked ${args[0]}; screens using it lose access within 30 s`);
          return;
        }
        if (sub === "list") {
          arity(args, 0);
          for (const t of await listKioskTokens(store)) {
            const state = t.revokedAt === null ? "live" : `revoked ${new Date(t.revokedAt).toISOString()}`;
            console.log(`${t.id}  ${t.label.padEnd(30)} created ${new Date(t.createdAt).toISOString()} by ${t.createdBy}  ${state}`);
          }
          return;
        }
        throw new UsageError("expected kiosk create <label> | kiosk revoke <id> | kiosk list");
      }
      default:
        throw new UsageError(`unknown command ${cmd}`);
    }
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    if (e instanceof UsageError) console.error(`admin: ${e.message}\n${USAGE}`);
    else if (e instanceof AppError) console.error(`admin: ${e.message}`);
    else console.error("admin:", e);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
