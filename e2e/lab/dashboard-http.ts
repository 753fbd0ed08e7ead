/**
 * A running dashboard over HTTP, as the browser talks to it: sign in as a lab demo user, tRPC queries
 * and mutations (superjson bodies, the dashboard's own Origin), and its confirmed transitions, which
 * the alerting tests and benchmark take as the start of each measurement.
 */
import { demoPassword } from "./demo-users";

export type DemoUser = "viewer" | "operator" | "approver" | "admin";

export interface Session {
  url: string;
  cookie: string;
}

/** A confirmed status change as `transition.list` answers it. */
export interface TransitionRow {
  id: number;
  at: number;
  subject: string;
  fromStatus: string;
  toStatus: string;
  reason: string | null;
  confirmedAt: number | null;
}

export async function signIn(url: string, user: DemoUser): Promise<Session> {
  const res = await fetch(`${url}/api/auth/sign-in/username`, {
    method: "POST",
    headers: { origin: url, "content-type": "application/json" },
    body: JSON.stringify({ username: user, password: demoPassword(user) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`sign-in as ${user} at ${url}: HTTP ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  if (cookies.length === 0) throw new Error(`sign-in at ${url} set no cookie`);
  return { url, cookie: cookies.join("; ") };
}

async function answer<T>(res: Response, what: string): Promise<T> {
  const body = (await res.json()) as { result?: { data?: { json?: T } }; error?: { json?: { message?: string } } };
  if (!res.ok || body.result === undefined) throw new Error(`${what}: HTTP ${res.status} ${body.error?.json?.message ?? JSON.stringify(body)}`);
  return body.result.data?.json as T;
}

export async function trpcQuery<T>(s: Session, procedure: string, input: unknown): Promise<T> {
  const q = encodeURIComponent(JSON.stringify({ json: input }));
  const res = await fetch(`${s.url}/api/trpc/${procedure}?input=${q}`, { headers: { cookie: s.cookie }, signal: AbortSignal.timeout(5_000) });
  return answer<T>(res, procedure);
}

export async function trpcMutation<T>(s: Session, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${s.url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { cookie: s.cookie, origin: s.url, "content-type": "application/json" },
    body: JSON.stringify({ json: input }),
    signal: AbortSignal.timeout(15_000),
  });
  return answer<T>(res, procedure);
}

/** Confirmed transitions of a subject ("component:database") since `since`, oldest first. */
export async function transitionsOf(s: Session, subject: string, since: number): Promise<TransitionRow[]> {
  const rows = await trpcQuery<TransitionRow[]>(s, "transition.list", { subject, since, limit: 100 });
  return [...rows].sort((a, b) => a.at - b.at || a.id - b.id);
}

/** When the dashboard confirmed the change (older rows have only `at`). */
export const confirmedAt = (t: TransitionRow): number => t.confirmedAt ?? t.at;

/** Which component alert a component status raises (the agreed names). */
export const COMPONENT_ALERT: Record<string, string> = { DOWN: "ComponentDown", DEGRADED: "ComponentDegraded", STALE: "ComponentStale", NO_DATA: "ComponentNoData" };
