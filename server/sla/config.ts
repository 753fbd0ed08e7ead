import { z } from "zod";
// Relative on purpose: drizzle-kit and tsx load the config schema without the "@/" alias.
import { SRE_WORKBOOK_RULES, type BurnRule } from "./burn";
import { DowntimePolicies } from "./policy";

/**
 * The `sla:` section of the topology file: the system target, where calendar periods begin, what
 * counts as downtime per component, the burn-rate alert windows and how components compose.
 */

const Percent = z
  .number({ error: "expected a percentage such as 99.99" })
  .gt(0, { error: "expected a percentage above 0" })
  .lt(100, { error: "expected a percentage below 100 (100% allows no downtime at all)" });

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30s", "5m", "6h", "3d" (or milliseconds as a number) → ms. */
export const Duration = z.union(
  [
    z.number().int().positive(),
    z
      .string()
      .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, { error: "expected a duration such as 5m, 1h or 3d" })
      .transform((s) => {
        const [, n, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(s)!;
        return Math.round(Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS]);
      }),
  ],
  { error: "expected a duration such as 5m, 1h or 3d" },
);

export const BurnRuleConfig = z
  .strictObject({
    name: z.string().min(1).max(100),
    severity: z.enum(["page", "ticket"]),
    /** Burn rate that fires the alert: 1 spends exactly the budget over the SLO period. */
    factor: z.number().positive({ error: "expected a burn-rate factor above 0, e.g. 14.4" }),
    longWindow: Duration,
    shortWindow: Duration,
  })
  .refine((r) => r.shortWindow < r.longWindow, { error: "shortWindow must be shorter than longWindow", path: ["shortWindow"] });
export type BurnRuleConfig = z.output<typeof BurnRuleConfig>;

/** A component id, or a group: every part needed (`serial`) or any one part suffices (`parallel`). */
export type CompositionConfig = string | { name?: string; serial: CompositionConfig[] } | { name?: string; parallel: CompositionConfig[] };
export const CompositionConfig: z.ZodType<CompositionConfig> = z.lazy(() =>
  z.union(
    [
      z.string().min(1),
      z.strictObject({ name: z.string().min(1).optional(), serial: z.array(CompositionConfig).min(1) }),
      z.strictObject({ name: z.string().min(1).optional(), parallel: z.array(CompositionConfig).min(2, { error: "a parallel group needs at least two parts" }) }),
    ],
    { error: "expected a component id, { serial: [...] } or { parallel: [...] }" },
  ),
);

const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: "expected an IANA time zone such as UTC or Europe/London" },
);

const DEFAULT_BURN_RULES: BurnRuleConfig[] = SRE_WORKBOOK_RULES.map((r) => ({
  name: r.name,
  severity: r.severity,
  factor: r.factor,
  longWindow: r.longWindowMs,
  shortWindow: r.shortWindowMs,
}));

export const SEED_SYSTEM_SLA = 99.99;

export const SlaSettings = z.strictObject({
  /** The system's availability target in percent (the seed: 99.99). */
  system: Percent.default(SEED_SYSTEM_SLA),
  /** Where calendar months, quarters and years begin (local midnight of the 1st). */
  timeZone: TimeZone.default("UTC"),
  /** What counts as down, and whether maintenance is excluded, by default and per component id ("system" for the whole). */
  policies: DowntimePolicies.default({}),
  /** Multi-window burn-rate alerts; default: the SRE workbook's 14.4×/1h+5m, 6×/6h+30m (page), 1×/3d+6h (ticket). */
  burnRules: z.array(BurnRuleConfig).min(1).default(DEFAULT_BURN_RULES),
  /** How the system is built from components; default: every component in series. */
  composition: CompositionConfig.optional(),
});
export type SlaSettings = z.output<typeof SlaSettings>;

export const DEFAULT_SLA_SETTINGS: SlaSettings = { system: SEED_SYSTEM_SLA, timeZone: "UTC", policies: {}, burnRules: DEFAULT_BURN_RULES };

export const burnRulesOf = (s: SlaSettings): BurnRule[] =>
  s.burnRules.map((r) => ({ name: r.name, severity: r.severity, factor: r.factor, longWindowMs: r.longWindow, shortWindowMs: r.shortWindow }));

/** Ids the section names must be configured components ("system" and "*" aside): messages name the path. */
export function slaCrossCheck(sla: SlaSettings, componentIds: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const known = [...componentIds].join(", ");
  for (const id of Object.keys(sla.policies.components ?? {})) {
    if (id !== "system" && !componentIds.has(id)) problems.push(`sla.policies.components.${id}: unknown component "${id}"; expected one of ${known} or system`);
  }
  const seen = new Set<string>();
  const walk = (node: CompositionConfig, at: string) => {
    if (typeof node === "string") {
      if (!componentIds.has(node)) problems.push(`${at}: unknown component "${node}"; expected one of ${known}`);
      else if (seen.has(node)) problems.push(`${at}: component "${node}" appears twice in the composition`);
      seen.add(node);
      return;
    }
    const [key, parts] = "serial" in node ? ["serial", node.serial] : ["parallel", node.parallel];
    parts.forEach((p, i) => walk(p, `${at}.${key}[${i}]`));
  };
  if (sla.composition !== undefined) walk(sla.composition, "sla.composition");
  return problems;
}
