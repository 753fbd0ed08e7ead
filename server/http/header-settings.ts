/**
 * The header settings as `proxy.ts` reads them: only `auth.baseURL` and `wall` from the config file,
 * validated with the same schemas as the full config (which the server checks at start and refuses to
 * run without). No "server-only" and no collector schemas: the proxy is bundled on its own.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { Origin, WallSettings } from "@/server/config/http";
import { configPathFromEnv } from "@/server/config/path";
import { STRICT_HEADER_SETTINGS, type HeaderSettings } from "./security-headers";

const Part = z.object({
  auth: z.object({ baseURL: Origin.optional() }).optional(),
  wall: WallSettings.optional(),
});

/** From the config text; anything unreadable gives the strictest settings (nobody frames, no HSTS promise). */
export function headerSettingsOf(text: string): HeaderSettings {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch {
    return STRICT_HEADER_SETTINGS;
  }
  const p = Part.safeParse(raw);
  if (!p.success) return STRICT_HEADER_SETTINGS;
  return { https: p.data.auth?.baseURL?.startsWith("https://") ?? false, wallFrameAncestors: p.data.wall?.frameAncestors ?? [] };
}

const cache = globalThis as unknown as { __haHeaderSettings?: { file: string; settings: HeaderSettings } };

/** Read once per process, like the rest of the config. */
export function headerSettings(): HeaderSettings {
  const file = configPathFromEnv();
  if (cache.__haHeaderSettings?.file !== file) {
    let text: string | null = null;
    try {
      text = readFileSync(/* turbopackIgnore: true */ file, "utf8");
    } catch {
      text = null;
    }
    cache.__haHeaderSettings = { file, settings: text === null ? STRICT_HEADER_SETTINGS : headerSettingsOf(text) };
  }
  return cache.__haHeaderSettings.settings;
}
