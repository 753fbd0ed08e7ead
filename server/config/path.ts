import path from "node:path";

/** Where the config file is. Its own module so `proxy.ts` can find the file without loading every collector's schema. */
export const DEFAULT_CONFIG_PATH = "ha.config.yaml";
export const CONFIG_ENV = "HA_CONFIG";

export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/* turbopackIgnore: true */ env[CONFIG_ENV] || DEFAULT_CONFIG_PATH);
}
