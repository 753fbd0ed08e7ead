import { judgeBy } from "@/server/collectors/registry";
import type { Judgement } from "./judge";
import { DEFAULT_JUDGE_OPTIONS, type JudgeOptions } from "./topology";
import { typed, type Observation } from "./types";

export type { Judgement } from "./judge";

/**
 * The probe's own verdict for an observation of any kind, by its collector's `judge`. Apart from
 * ./judge.ts so that the per-kind verdicts, which the collectors import, never import the registry.
 */
export function judge(o: Observation, opts: JudgeOptions = DEFAULT_JUDGE_OPTIONS): Judgement {
  return judgeBy(o.kind, typed(o), opts);
}
