import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT, generateKeyPair, importJWK, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth } from "../../server/auth/auth";
import { SSO_PROVIDER_ID } from "../../server/auth/oidc";
import { loadConfig } from "../../server/config/load";
import { openStore, type Store } from "../../server/store/store";
import { OIDC_CLIENT_ID, OIDC_DIR, OIDC_ISSUER, oidcEmail } from "./oidc-users";
import { paths } from "./topology";

/**
 * The id_token check of the dashboard's single sign-on, against the lab's real provider: better-auth's
 * generic OAuth provider, built from the lab provider's discovery document and JWKS exactly as the
 * dashboard builds it, is handed tokens made with the provider's own signing key, then altered. Only
 * the untouched one is accepted. (The whole browser round trip is e2e/sso.spec.ts.)
 */

type SsoProvider = { id: string; idToken?: { issuer: string }; getUserInfo(t: { idToken: string; expectedIdTokenNonce?: string }): Promise<{ user: { email?: string } } | null> };

let store: Store;
let provider: SsoProvider;
let labKey: CryptoKey | Uint8Array;
let kid: string;
const NONCE = randomBytes(16).toString("base64url");

beforeAll(async () => {
  const config = loadConfig(paths.config);
  store = await openStore({ memory: true });
  const auth = createAuth({ store, settings: config.auth, secret: randomBytes(32).toString("base64url"), oidc: config.auth.oidc });
  const ctx = (await auth.$context) as unknown as { socialProviders: SsoProvider[] };
  provider = ctx.socialProviders.find((p) => p.id === SSO_PROVIDER_ID)!;
  const jwk = (JSON.parse(readFileSync(path.join(OIDC_DIR, "jwks.json"), "utf8")) as { keys: (JWK & { kid: string })[] }).keys[0]!;
  kid = jwk.kid;
  labKey = await importJWK(jwk, "RS256");
}, 60_000);

afterAll(async () => {
  await store?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({ sub: "olga", email: oidcEmail("olga"), email_verified: true, name: "Olga", groups: ["noc-approvers"], nonce: NONCE, ...over });

async function token(over: Record<string, unknown> = {}, o: { key?: CryptoKey | Uint8Array; aud?: string; iss?: string; iat?: number; exp?: number } = {}): Promise<string> {
  return new SignJWT(claims(over))
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer(o.iss ?? OIDC_ISSUER)
    .setAudience(o.aud ?? OIDC_CLIENT_ID)
    .setIssuedAt(o.iat ?? now())
    .setExpirationTime(o.exp ?? now() + 300)
    .sign(o.key ?? labKey);
}

const accepted = async (idToken: string, nonce: string | undefined = NONCE) => (await provider.getUserInfo({ idToken, expectedIdTokenNonce: nonce })) !== null;

describe("the single sign-on id_token check, against the lab provider's JWKS", () => {
  it("the provider was built from the lab's discovery document", () => {
    expect(provider?.idToken?.issuer).toBe(OIDC_ISSUER);
  });

  it("accepts a token signed by the provider's key, for this client, with the flow's nonce", async () => {
    expect(await provider.getUserInfo({ idToken: await token(), expectedIdTokenNonce: NONCE })).toMatchObject({ user: { email: oidcEmail("olga") } });
  });

  it("refuses a token whose signature was altered", async () => {
    const t = await token();
    const [h, p, s] = t.split(".");
    const flipped = s!.slice(0, 10) + (s![10] === "A" ? "B" : "A") + s!.slice(11);
    expect(await accepted(`${h}.${p}.${flipped}`)).toBe(false);
  });

  it("refuses a token whose claims were altered after signing (groups raised)", async () => {
    const [h, , s] = (await token()).split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims({ groups: ["noc-admins"] }), iss: OIDC_ISSUER, aud: OIDC_CLIENT_ID, iat: now(), exp: now() + 300 })).toString("base64url");
    expect(await accepted(`${h}.${forged}.${s}`)).toBe(false);
  });

  it("refuses an expired token (beyond the 30 s clock tolerance)", async () => {
    expect(await accepted(await token({}, { iat: now() - 900, exp: now() - 600 }))).toBe(false);
  });

  it("refuses a token for another client, from another issuer, or with another nonce", async () => {
    expect(await accepted(await token({}, { aud: "another-client" }))).toBe(false);
    expect(await accepted(await token({}, { iss: "http://127.0.0.1:1/evil" }))).toBe(false);
    expect(await accepted(await token({ nonce: "replayed-from-another-flow" }))).toBe(false);
    expect(await accepted(await token({ nonce: undefined }))).toBe(false);
  });

  it("refuses a token signed by another key that claims the provider's key id, and an unsigned one", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    expect(await accepted(await token({}, { key: privateKey }))).toBe(false);
    const header = Buffer.from(JSON.stringify({ alg: "none", kid })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ ...claims(), iss: OIDC_ISSUER, aud: OIDC_CLIENT_ID, iat: now(), exp: now() + 300 })).toString("base64url");
    expect(await accepted(`${header}.${body}.`)).toBe(false);
  });
});
