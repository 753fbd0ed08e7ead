import { z } from "zod";
import type { Config } from "@/server/config/load";
import type { Judgement } from "@/server/health/judge";
import type { JudgeOptions } from "@/server/health/topology";
import type { Observation } from "@/server/health/types";
import { etcdCollector } from "./etcd";
import { haproxyCollector } from "./haproxy";
import { httpCollector } from "./http";
import { marketdataCollector } from "./marketdata";
import { patroniCollector } from "./patroni";
import { postgresCollector } from "./postgres";
import { redisCollector } from "./redis";
import { sentinelCollector } from "./sentinel";
import { tcpCollector } from "./tcp";
import type { Collector, KindShape, ProbeResult, PushEvent, Sample, SampledUnit, UnitDraft } from "./types";
import { vrrpCollector } from "./vrrp";

/**
 * Every collector, keyed by kind: the one list of kinds. Its order is the order of the config's
 * target sections and of the units. No "server-only" here or in the collector files: the config
 * schema is composed from them and tsx tools load the config; the app enters through ./index.ts.
 */
export const collectors = {
  patroni: patroniCollector,
  postgres: postgresCollector,
  etcd: etcdCollector,
  sentinel: sentinelCollector,
  redis: redisCollector,
  haproxy: haproxyCollector,
  vrrp: vrrpCollector,
  http: httpCollector,
  tcp: tcpCollector,
  marketdata: marketdataCollector,
};

type Registry = typeof collectors;
export type Kind = keyof Registry;
export type TargetOf<K extends Kind> = Parameters<Registry[K]["probe"]>[0];
export type DataOf<K extends Kind> = Awaited<ReturnType<Registry[K]["probe"]>> extends ProbeResult<infer D> ? D : never;

export const isKind = (k: string): k is Kind => Object.hasOwn(collectors, k);
export const KINDS: readonly Kind[] = Object.keys(collectors).filter(isKind);

/** The fields of a kind's data its verdict reads (all of `DataOf<K>` unless its collector picks fewer). */
export type HealthDataOf<K extends Kind> = Parameters<Registry[K]["judge"]>[0] extends Observation<infer H> ? H : never;

/** Each kind's collector with its types spelt out per kind, so a unit's target and data stay tied to its kind. */
type ByKind = { [K in Kind]: KindShape<K, Registry[K]["section"], TargetOf<K>, DataOf<K>, Config, HealthDataOf<K>> };
const byKind: ByKind = collectors;

/** Config sections that list targets, in registry order; several kinds may read one section. */
type SectionOf<K extends Kind> = Registry[K]["section"];
export type TargetSection = SectionOf<Kind>["name"];
export const TARGET_SECTIONS: readonly TargetSection[] = [...new Set(KINDS.map((k) => byKind[k].section.name))];

type SectionSchemas = { [K in Kind as SectionOf<K>["name"]]: z.ZodDefault<z.ZodArray<SectionOf<K>["schema"]>> };

/** The target sections of the config schema, `<section>: [entry, ...]` (empty when absent), in registry order. */
export function sectionSchemas(): SectionSchemas {
  const shape: Partial<Record<TargetSection, z.ZodType>> = {};
  for (const k of KINDS) {
    const { name, schema } = byKind[k].section;
    shape[name] ??= z.array(schema).default([]);
  }
  // Built by a loop over the registry, which TypeScript cannot follow key by key.
  return shape as SectionSchemas;
}

/** A probe unit: the smallest thing scheduled on its own, with its kind's target. */
interface UnitFields<K extends Kind> {
  /** `unitKey(kind, targetId, node)`. */
  key: string;
  kind: K;
  section: TargetSection;
  targetId: string;
  node?: string;
  /** The SLA component it counts towards. */
  component: string;
  label: string;
  intervalMs: number;
  timeoutMs: number;
  /** Exactly what the kind's collector takes. Holds resolved secrets: never serialise a unit to a client. */
  target: TargetOf<K>;
}
/** The unit of kind K; for a union of kinds, the union of their units (discriminated by `kind`). */
export type UnitOf<K extends Kind> = { [P in K]: UnitFields<P> }[K];
export type ProbeUnit = UnitOf<Kind>;

/** The units of one kind as its collector derives them from the config. */
export function draftsOf<K extends Kind>(kind: K, config: Config): { section: TargetSection; drafts: UnitDraft<TargetOf<K>>[] } {
  const c = byKind[kind];
  return { section: c.section.name, drafts: c.units(config) };
}

/** A probe's result tagged with its kind, so its data stays typed after passing through the scheduler. */
export type Reading<K extends Kind = Kind> = { [P in K]: ProbeResult<DataOf<P>> & { readonly kind: P } }[K];

export async function probeUnit<K extends Kind>(unit: UnitOf<K>, signal: AbortSignal): Promise<Reading<K>> {
  const result = await byKind[unit.kind].probe(unit.target, signal);
  return { ...result, kind: unit.kind };
}

/** Push events of the unit's target, for kinds that have them (Sentinel pub/sub); null otherwise. */
export function watchUnit<K extends Kind>(unit: UnitOf<K>, onEvent: (e: PushEvent) => void): { close(): void } | null {
  const c: Collector<K, TargetOf<K>, DataOf<K>> = byKind[unit.kind];
  return c.watch ? c.watch(unit.target, onEvent) : null;
}

/** The series points in a successful probe's data, as its kind's collector defines them. */
export function samplesOf<K extends Kind>(reading: Reading<K>, unit: SampledUnit): Sample[] {
  const c: ByKind[K] = byKind[reading.kind];
  return reading.ok && c.samples ? c.samples(reading.data, unit) : [];
}

/** The probe's own verdict, by its kind's rules. */
export function judgeBy<K extends Kind>(kind: K, o: Observation<HealthDataOf<K>>, opts: JudgeOptions): Judgement {
  const c: ByKind[K] = byKind[kind];
  return c.judge(o, opts);
}

/** The unit's thresholds: `base` with what its config entry overrides. */
export function judgeOptionsOf<K extends Kind>(unit: UnitOf<K>, base: JudgeOptions): JudgeOptions {
  const c: ByKind[K] = byKind[unit.kind];
  return c.judgeOptions ? c.judgeOptions(unit.target, base) : base;
}

/** host:port of the data node the unit talks to, for kinds whose units are data nodes; null otherwise. */
export function addressOf<K extends Kind>(unit: UnitOf<K>): string | null {
  const c: ByKind[K] = byKind[unit.kind];
  return c.address ? c.address(unit.target) : null;
}
