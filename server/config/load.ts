import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { HaConfig, SecretRef, TARGET_SECTIONS } from "./schema";
import { slaCrossCheck } from "../sla/config";

/** A resolved secret. It prints and serialises as "[redacted]", so it cannot leak into logs or API responses. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[redacted]";
  }
}

/** The validated config with every SecretRef replaced by a resolved Secret. */
export type Resolve<T> = T extends SecretRef
  ? Secret
  : T extends (infer U)[]
    ? Resolve<U>[]
    : T extends object
      ? { [K in keyof T]: Resolve<T[K]> }
      : T;
export type Config = Resolve<HaConfig>;

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

import { CONFIG_ENV, configPathFromEnv } from "./path";

export { CONFIG_ENV, DEFAULT_CONFIG_PATH, configPathFromEnv } from "./path";

/** `clusters[0].nodes[2].rest` from zod's path array. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of p) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const where = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((k) => {
      const at = formatPath([...issue.path, k]);
      return issue.path.length === 0
        ? `${at}: unknown section; expected one of ${Object.keys(HaConfig.shape).join(", ")}`
        : `${at}: unknown key (check its spelling against the example config)`;
    });
  }
  const message = issue.message.replace(/^Invalid (input|option): /, "");
  // `input` is only reported because parseConfig asks for it (reportInput); undefined means the key is absent.
  if (issue.code === "invalid_type" && issue.input === undefined) return [`${where}: required, ${message}`];
  return [`${where}: ${message}`];
}

/** Rules that span sections: unique ids, references that resolve. */
function crossCheck(cfg: HaConfig): string[] {
  const problems: string[] = [];
  const componentIds = new Set<string>();
  cfg.components.forEach((c, i) => {
    if (componentIds.has(c.id)) problems.push(`components[${i}].id: duplicate component id "${c.id}"`);
    componentIds.add(c.id);
  });

  const seen = new Map<string, string>();
  for (const section of TARGET_SECTIONS) {
    cfg[section].forEach((t, i) => {
      const at = `${section}[${i}]`;
      const first = seen.get(t.id);
      if (first) problems.push(`${at}.id: duplicate id "${t.id}" (already used by ${first}); ids must be unique across all sections`);
      else seen.set(t.id, at);
      if (!componentIds.has(t.component)) {
        problems.push(`${at}.component: unknown component "${t.component}"; expected one of ${[...componentIds].join(", ")}`);
      }
    });
  }
  cfg.clusters.forEach((c, i) => {
    const names = new Set<string>();
    c.nodes.forEach((n, j) => {
      if (names.has(n.name)) problems.push(`clusters[${i}].nodes[${j}].name: duplicate member name "${n.name}"`);
      names.add(n.name);
    });
  });
  cfg.vrrp.forEach((v, i) => {
    const names = new Set<string>();
    v.nodes.forEach((n, j) => {
      if (names.has(n.name)) problems.push(`vrrp[${i}].nodes[${j}].name: duplicate node name "${n.name}"`);
      names.add(n.name);
    });
  });
  const redisIds = new Set([...cfg.sentinels.map((s) => s.id), ...cfg.redis.map((r) => r.id)]);
  cfg.marketData.forEach((m, i) => {
    if (!redisIds.has(m.redis)) {
      problems.push(`marketData[${i}].redis: "${m.redis}" is not the id of a sentinels group or redis instance`);
    }
  });
  problems.push(...slaCrossCheck(cfg.sla, componentIds));
  return problems;
}

function isSecretRef(v: unknown): v is SecretRef {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === "env" || keys[0] === "file");
}

function resolveSecrets(value: unknown, at: (string | number)[], baseDir: string, env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (isSecretRef(value)) {
    if ("env" in value) {
      const v = env[value.env];
      if (v === undefined || v === "") {
        problems.push(`${formatPath(at)}: environment variable ${value.env} is not set; export it before starting the dashboard`);
        return new Secret("");
      }
      return new Secret(v);
    }
    const file = path.resolve(/* turbopackIgnore: true */ baseDir, value.file);
    try {
      return new Secret(readFileSync(/* turbopackIgnore: true */ file, "utf8").replace(/\r?\n$/, ""));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
      problems.push(`${formatPath(at)}: cannot read secret file ${file} (${code}); create it or fix the path (relative to the config file)`);
      return new Secret("");
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, [...at, i], baseDir, env, problems));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSecrets(v, [...at, k], baseDir, env, problems)]));
  }
  return value;
}

/** A Standard Webhooks secret is `whsec_` and base64 of its key; anything else would sign with a key nobody can verify. */
function signingSecretProblems(cfg: Config): string[] {
  const problems: string[] = [];
  cfg.alerting?.receivers.forEach((r, i) => {
    if (r.type !== "webhook") return;
    r.secrets.forEach((s, j) => {
      const v = s.reveal();
      if (v === "") return; // unreadable: already reported
      const key = v.startsWith("whsec_") ? v.slice(6) : null;
      if (key === null || !/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, "base64").length < 24) {
        problems.push(`alerting.receivers[${i}].secrets[${j}]: expected a Standard Webhooks secret "whsec_" + base64 of 24 to 64 random bytes (e.g. whsec_$(openssl rand -base64 32))`);
      }
    });
  });
  return problems;
}

/** Parse and validate config text. `file` is used in messages and to resolve relative secret files. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => `YAML syntax: ${e.message.split("\n")[0]!.replace(/:$/, "")}`));
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) throw new ConfigError(file, ["the file is empty; start from ha.config.example.yaml"]);
  // reportInput: without it zod leaves issue.input unset, and every wrong type would read as "required".
  const parsed = HaConfig.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new ConfigError(file, parsed.error.issues.flatMap(describeIssue));
  const problems = crossCheck(parsed.data);
  const resolved = resolveSecrets(parsed.data, [], path.dirname(file), env, problems) as Config;
  problems.push(...signingSecretProblems(resolved));
  if (problems.length > 0) throw new ConfigError(file, problems);
  return resolved;
}

export function loadConfig(file: string = configPathFromEnv(), env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(/* turbopackIgnore: true */ file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint =
      code === "ENOENT"
        ? `no such file; copy ha.config.example.yaml to ${path.basename(file)} or set ${CONFIG_ENV}=/path/to/config.yaml`
        : `cannot read it (${code})`;
    throw new ConfigError(file, [hint]);
  }
  return parseConfig(text, file, env);
}
