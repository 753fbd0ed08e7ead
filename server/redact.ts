import "server-only";
import { Secret } from "@/server/config/load";

export const REDACTED = "[redacted]";

/** Secrets shorter than this are not searched for in text: it would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Every resolved secret value in a config-like tree. */
export function collectSecrets(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (value instanceof Secret) {
    const v = value.reveal();
    if (v.length >= MIN_SECRET_LENGTH) out.add(v);
  } else if (Array.isArray(value)) {
    for (const v of value) collectSecrets(v, out);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) collectSecrets(v, out);
  }
  return out;
}

/**
 * Defence in depth for data bound for the browser: any string that contains a known secret has it
 * replaced. Collectors are written not to return secrets; this catches what a peer echoes back.
 */
export function redactDeep<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      let s = v;
      for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join(REDACTED);
      return s;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Date) return v;
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
