import { z } from "zod";
import { SecretRef } from "./fields";

/**
 * The settings of what the dashboard serves over HTTP besides its pages' content: who may frame the
 * wall, and who may scrape the metrics. Only zod here, so `proxy.ts` can validate its part of the
 * file without loading every collector's schema.
 */

export const Origin = z
  .string({ error: "expected an origin such as https://noc.example.com" })
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol) && new URL(s).origin === s.replace(/\/$/, ""), {
    error: "expected an origin such as https://noc.example.com (no path)",
  });

/** `wall:` the wall screen. */
export const WallSettings = z.strictObject({
  /**
   * Origins whose pages may show the wall in a frame (a portal on the same site: the kiosk cookie is
   * SameSite=Strict). Empty: nobody may frame it. Console pages and approval dialogs never may.
   */
  frameAncestors: z.array(Origin).max(20).default([]),
});
export type WallSettings = z.infer<typeof WallSettings>;
export const DEFAULT_WALL_SETTINGS = { frameAncestors: [] } satisfies z.input<typeof WallSettings>;

/** `metrics:` the Prometheus endpoint `/api/metrics`. */
export const MetricsSettings = z
  .strictObject({
    /** true: anyone may scrape. false: only with the bearer token. Unset: a loopback client without it, anyone else with it. */
    public: z.boolean().optional(),
    /** The token a scraper sends as `Authorization: Bearer <token>`. */
    bearerToken: SecretRef.optional(),
  })
  .refine((m) => m.public !== false || m.bearerToken !== undefined, {
    error: "public: false needs bearerToken: { env: VAR } or { file: path } (or set public: true)",
    path: ["bearerToken"],
  });
export type MetricsSettings = z.infer<typeof MetricsSettings>;
