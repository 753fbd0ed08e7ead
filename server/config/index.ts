import "server-only";
import { ConfigError, configPathFromEnv, loadConfig, type Config } from "./load";

/** One config per process, kept on globalThis so `next dev` hot reloads do not re-read it. */
const cache = globalThis as unknown as { __haConfig?: { file: string; config: Config } };

/** The validated config; throws ConfigError when the file is missing or invalid. */
export function getConfig(): Config {
  const file = configPathFromEnv();
  if (cache.__haConfig?.file !== file) cache.__haConfig = { file, config: loadConfig(file) };
  return cache.__haConfig.config;
}

export type ConfigLoad = { ok: true; config: Config } | { ok: false; error: ConfigError };

/** Like getConfig, but a ConfigError is returned for display instead of thrown. */
export function tryGetConfig(): ConfigLoad {
  try {
    return { ok: true, config: getConfig() };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, error: e };
    throw e;
  }
}
