/**
 * The dashboard as the wall sees it: the tRPC `overview.get` query, signed in as the lab's demo viewer,
 * timed from request to parsed body.
 */
import type { Snapshot } from "../../lib/snapshot";
import { demoPassword } from "../../e2e/lab/demo-users";

export interface OverviewRead {
  snapshot: Snapshot | undefined;
  /** Request to parsed body; null when the request failed or timed out. */
  latencyMs: number | null;
  error?: string;
}

/** Signs in as the demo viewer the way the login page does and returns the Cookie header of the session. */
export async function signInViewerCookie(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/username`, {
    method: "POST",
    headers: { origin: url, "content-type": "application/json" },
    body: JSON.stringify({ username: "viewer", password: demoPassword("viewer") }),
  });
  if (!res.ok) throw new Error(`sign-in as the demo viewer at ${url}: HTTP ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  if (cookies.length === 0) throw new Error(`sign-in at ${url} set no cookie`);
  return cookies.join("; ");
}

export function overviewReader(url: string, cookie: string, timeoutMs = 2000): () => Promise<OverviewRead> {
  return async () => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/api/trpc/overview.get`, { headers: { cookie }, signal: AbortSignal.timeout(timeoutMs) });
      const body = (await res.json()) as { result?: { data?: { json?: Snapshot } } };
      const latencyMs = performance.now() - t0;
      const snapshot = body.result?.data?.json;
      return snapshot ? { snapshot, latencyMs } : { snapshot: undefined, latencyMs: null, error: `HTTP ${res.status}: no snapshot` };
    } catch (e) {
      return { snapshot: undefined, latencyMs: null, error: e instanceof Error ? e.message : String(e) };
    }
  };
}
