/** Helpers shared by collectors: timing, safe error descriptions, address parsing. */

export function since(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EPIPE: "connection closed while writing",
  ENOENT: "no such file",
  EACCES: "permission denied",
};

function errnoCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code in ERRNO_TEXT) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A short reason that is safe for the browser. Raw messages from drivers can embed URLs or DSNs,
 * so only errno codes and the deadline are described; anything else becomes a generic phrase.
 */
export function describeError(e: unknown, signal: AbortSignal, start: number, where?: string): string {
  const suffix = where ? ` (${where})` : "";
  if (signal.aborted) return `no answer within the deadline (${Math.round(since(start))} ms)${suffix}`;
  const code = errnoCode(e);
  if (code) return `${ERRNO_TEXT[code]}${suffix}`;
  // Redis error replies (NOAUTH, WRONGPASS, LOADING, ...) come from the server and carry no secrets.
  if (e instanceof Error && e.name === "ReplyError") return `redis replied: ${e.message.slice(0, 120)}${suffix}`;
  if (e instanceof Error && e.message === "Command timed out") return `command timed out${suffix}`;
  return `probe failed${suffix}`;
}

/** "host:port" or "[v6]:port" → parts. The config schema has already checked the shape. */
export function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, "$1");
  return { host, port: Number(address.slice(i + 1)) };
}

/** host:port of a URL, without user info, path or query (which may carry tokens). */
export function urlEndpoint(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid url)";
  }
}

/** scheme://host:port/path of a URL, without user info or query. */
export function urlWithoutSecrets(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid url)";
  }
}

/** A number from a Redis INFO / SENTINEL field; null when absent, empty or not numeric. */
export const num = (v: string | undefined): number | null => (v === undefined || v === "" || Number.isNaN(Number(v)) ? null : Number(v));

/** Printable preview of bytes received from a peer (control characters escaped, length bounded). */
export function preview(text: string, max = 80): string {
  const escaped = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return escaped.slice(1, -1);
}

/** "postgres://u@10.0.1.40:5432/db" → "10.0.1.40:5432"; null when it cannot be parsed. */
export function hostPortOfUrl(url: string, defaultPort: number): string | null {
  try {
    const u = new URL(url);
    if (!u.hostname) return null;
    return `${u.hostname.toLowerCase()}:${u.port || defaultPort}`;
  } catch {
    return null;
  }
}
