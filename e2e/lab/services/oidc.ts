/**
 * The lab's OpenID provider: `oidc-provider` (an OpenID-certified implementation) on 127.0.0.1, with
 * its own login page, the people of .lab/oidc/users.json (re-read at every sign-in) and a `groups`
 * claim in the id_token. One registered client: the dashboard.
 *   node --import tsx e2e/lab/services/oidc.ts
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { HOST, OIDC } from "../topology";
import { OIDC_CLIENT_ID, OIDC_DIR, OIDC_ISSUER, OIDC_REDIRECT_URIS, oidcClientSecret, readOidcUsers } from "../oidc-users";

/** The signing key survives restarts (`lab stop/start oidc`), so tokens and the dashboard's cached JWKS stay valid. */
async function signingKeys(): Promise<{ keys: object[] }> {
  const file = path.join(OIDC_DIR, "jwks.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { keys: object[] };
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `lab-${randomBytes(4).toString("hex")}`, alg: "RS256", use: "sig" };
  const jwks = { keys: [jwk] };
  writeFileSync(file, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const provider = new Provider(OIDC_ISSUER, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: oidcClientSecret(),
      redirect_uris: OIDC_REDIRECT_URIS,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  jwks: await signingKeys(),
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "preferred_username"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups"],
  // The dashboard reads the person and their groups from the verified id_token, not from userinfo.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  ttl: { Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  async findAccount(_ctx: KoaContextWithOIDC, id: string) {
    const u = readOidcUsers()[id];
    if (!u) return undefined;
    return {
      accountId: id,
      async claims() {
        const now = readOidcUsers()[id] ?? u;
        return { sub: id, email: now.email, email_verified: true, name: now.name, preferred_username: id, groups: now.groups };
      },
    };
  },
});

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-frame-options": "DENY" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#0b1020;color:#e2e8f0;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#111827;padding:2rem;border-radius:.5rem;width:20rem}label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;margin-top:.25rem;box-sizing:border-box}
button{margin-top:1.5rem;width:100%;padding:.6rem;background:#4f46e5;color:#fff;border:0;border-radius:.25rem}.err{color:#fca5a5}</style></head>
<body>${body}</body></html>`);
}

function loginForm(res: ServerResponse, uid: string, clientId: string, error?: string, login = ""): void {
  page(
    res,
    error ? 401 : 200,
    "Lab SSO · sign in",
    `<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
<h1>Lab SSO</h1><p>Sign in to continue to <b>${esc(clientId)}</b>.</p>
${error ? `<p class="err" role="alert">${esc(error)}</p>` : ""}
<label for="login">Username</label><input id="login" name="login" value="${esc(login)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in to Lab SSO</button></form>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 16_384) throw new Error("body too large");
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 400, "Lab SSO", "<p>This sign-in has expired; start again from the dashboard.</p>");
  const clientId = String(details.params.client_id ?? "");
  if (details.prompt.name === "login") {
    if (req.method === "GET" && !action) return loginForm(res, uid, clientId);
    if (req.method !== "POST" || action !== "login") return page(res, 405, "Lab SSO", "<p>Method not allowed.</p>");
    const form = await formBody(req);
    const login = (form.get("login") ?? "").trim().toLowerCase();
    const password = form.get("password") ?? "";
    const user = readOidcUsers()[login];
    if (!user || !sameText(user.password, password)) return loginForm(res, uid, clientId, "Wrong username or password.", login);
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    return;
  }
  if (details.prompt.name === "consent") {
    // The dashboard is the lab's own application: consent is implied, as at a company's IdP.
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const accountId = details.session?.accountId;
    if (!accountId) return page(res, 400, "Lab SSO", "<p>No session; start again from the dashboard.</p>");
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) return page(res, 400, "Lab SSO", "<p>The grant expired; start again from the dashboard.</p>");
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(" "));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  page(res, 400, "Lab SSO", `<p>Unsupported step ${esc(details.prompt.name)}.</p>`);
}

const handler = provider.callback();
const server = createServer((req, res) => {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login))?$/.exec((req.url ?? "").split("?")[0] ?? "");
  if (!m?.[1]) return void handler(req, res);
  interaction(req, res, m[1], m[2]).catch((e: unknown) => {
    console.error("[oidc] interaction:", e);
    if (!res.headersSent) page(res, 400, "Lab SSO", "<p>This sign-in cannot continue (expired or invalid); start again from the dashboard.</p>");
  });
});
server.listen(OIDC.port, HOST, () => console.log(`[oidc] lab OpenID provider on ${OIDC_ISSUER}`));
