import type { Config } from "@/server/config/load";
import { LIVE_GRACE_MS, combineSegments, compositionTree, slaSubjects } from "./subjects";
import { type RunSpan, type Segment, type StatusChange, type TimelineStatus, buildTimeline, componentSubject } from "@/server/sla";

export interface TimelineInputs {
  transitions: readonly (StatusChange & { subject: string; reason?: string | null })[];
  runs: readonly RunSpan[];
}

export interface SubjectTimelines {
  from: number;
  end: number;
  /** Component id (and "system") → segments covering [from, end). */
  segments: Map<string, Segment[]>;
  /** Transitions that no monitor run could have recorded: ignored (a clock jump, or a heartbeat lost). */
  unattributed: number;
}

/** Each component's timeline over [from, min(to, now)), and the system's combined from them. */
export function buildTimelines(config: Config, input: TimelineInputs, from: number, to: number, now: number): SubjectTimelines {
  const { components, system } = slaSubjects(config);
  const end = Math.min(to, now);
  const segments = new Map<string, Segment[]>();
  let unattributed = 0;
  for (const c of components) {
    const t = buildTimeline({ transitions: input.transitions, runs: input.runs, from, to, now, subject: componentSubject(c.id), liveGraceMs: LIVE_GRACE_MS });
    segments.set(c.id, t.segments);
    unattributed += t.unattributed;
  }
  const counts = new Map(components.map((c) => [c.id, new Set<TimelineStatus>(c.policy.countsAsDown)]));
  segments.set(system.id, combineSegments(compositionTree(config), segments, (id) => counts.get(id) ?? new Set(["DOWN"]), from, end));
  return { from, end, segments, unattributed };
}
