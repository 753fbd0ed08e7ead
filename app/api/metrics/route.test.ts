import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "./route";

/** The route as Next calls it, with a config file of its own per case. */
const dir = mkdtempSync(path.join(tmpdir(), "hacr-metrics-"));
let n = 0;
function useConfig(yaml: string) {
  const file = path.join(dir, `ha.config.${n++}.yaml`);
  writeFileSync(file, `version: 1\n${yaml}`);
  vi.stubEnv("HA_CONFIG", file);
}
/** As scripts/serve.mjs serves it: the TCP peer in x-hacr-peer, and the process marked as writing it. */
const PEER_MARK = Symbol.for("hacr.peerHeader");
const from = (peer: string, headers: Record<string, string> = {}) =>
  GET(new Request("http://127.0.0.1:3000/api/metrics", { headers: { ...headers, "x-hacr-peer": peer } }));
const get = (headers: Record<string, string>) => from(headers["x-forwarded-for"] ?? "", headers);

beforeAll(() => {
  (globalThis as Record<symbol, unknown>)[PEER_MARK] = true;
});
afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[PEER_MARK];
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("GET /api/metrics", () => {
  it("unset: a client that is not on loopback gets 401 with a Bearer challenge", async () => {
    useConfig("");
    const res = await get({ "x-forwarded-for": "10.0.0.7" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
    expect(await res.text()).not.toMatch(/patroni|redis|haproxy/i);
    // Loopback passes the check (503 here: no poller runs in a unit test).
    expect((await get({ "x-forwarded-for": "127.0.0.1" })).status).toBe(503);
  });

  it("public: false refuses loopback without the token and accepts the configured one", async () => {
    vi.stubEnv("HA_METRICS_TOKEN", "scrape-me-0123456789");
    useConfig("metrics:\n  public: false\n  bearerToken: { env: HA_METRICS_TOKEN }\n");
    expect((await get({ "x-forwarded-for": "127.0.0.1" })).status).toBe(401);
    expect((await get({ "x-forwarded-for": "127.0.0.1", authorization: "Bearer nope" })).status).toBe(401);
    expect((await get({ "x-forwarded-for": "10.0.0.7", authorization: "Bearer scrape-me-0123456789" })).status).toBe(503);
  });

  it("a forged X-Forwarded-For of loopback from another peer is not believed (no trusted proxies configured)", async () => {
    useConfig("");
    expect((await from("10.0.0.7", { "x-forwarded-for": "127.0.0.1" })).status).toBe(401);
    expect((await from("127.0.0.1", { "x-forwarded-for": "10.0.0.7" })).status).toBe(503);
  });

  it("public: true answers anyone", async () => {
    useConfig("metrics:\n  public: true\n");
    expect((await get({ "x-forwarded-for": "203.0.113.9" })).status).toBe(503);
  });
});
