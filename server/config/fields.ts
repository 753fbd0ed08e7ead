import { z } from "zod";

/**
 * Building blocks of the topology file's schemas: ids, URLs, host:port, secret references and the
 * fields every monitored target has. The per-kind section schemas (in server/collectors/<kind>.ts)
 * and the top-level schema (./schema.ts) are made of these.
 */

export const Id = z
  .string({ error: "expected an id (letters, digits, '-', '_' or '.')" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    error: "expected an id of letters, digits, '-', '_' or '.', starting with a letter or digit",
  });

export const HttpUrl = z.url({
  protocol: /^https?$/,
  error: "expected a URL such as http://10.0.1.40:8008",
});

export const HostPort = z
  .string({ error: "expected host:port" })
  // abort: the port check below only makes sense once the shape matched.
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: "expected host:port such as 10.0.1.50:26379", abort: true })
  .refine((s) => Number(s.slice(s.lastIndexOf(":") + 1)) <= 65535, { error: "port must be at most 65535" });

/** A secret is never written inline: it names an environment variable or a file (relative to the config file). */
export const SecretRef = z.union(
  [
    z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected an environment variable name" }) }),
    z.strictObject({ file: z.string().min(1, { error: "expected a file path" }) }),
  ],
  { error: "expected a secret reference: { env: VAR_NAME } or { file: path/to/file }" },
);
export type SecretRef = z.infer<typeof SecretRef>;

/** A connection string given inline may not carry a password; the password comes from a SecretRef. */
export const InlineUrlWithoutPassword = (example: string) =>
  z
    .string({ error: `expected a connection URL such as ${example}` })
    .refine((s) => URL.canParse(s), { error: `expected a connection URL such as ${example}` })
    .refine((s) => !URL.canParse(s) || new URL(s).password === "", {
      error: "a password is written inline; move it to `password: { env: VAR }` or `{ file: path }`",
    });

const Probe = z.strictObject({
  intervalMs: z.number().int().min(100, { error: "expected at least 100 ms" }).max(3_600_000).optional(),
  timeoutMs: z.number().int().min(50, { error: "expected at least 50 ms" }).max(60_000).optional(),
});

/** The fields of every monitored target, spread into each section's object schema. */
export const TargetBase = {
  id: Id,
  name: z.string().min(1).optional(),
  /** The SLA component this target counts towards (see `components`). */
  component: Id,
  ...Probe.shape,
};

export const Defaults = z.strictObject({
  intervalMs: z.number().int().min(100).max(3_600_000).default(1000),
  timeoutMs: z.number().int().min(50).max(60_000).default(800),
  /** Consecutive good probes before a component is judged up again (the seed's keepalived/HAProxy `rise 2`). */
  rise: z.number().int().min(1).max(100).default(2),
  /** Consecutive bad probes before a component is judged down (the seed's `fall 3`). */
  fall: z.number().int().min(1).max(100).default(3),
});
