/**
 * Pure time-bucket maths for the control store: which resolution table serves a range, how wide
 * the output buckets are, where gaps go, and which rollup window is complete. No I/O and no clock:
 * every "now" is a parameter. All times are epoch milliseconds.
 */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Resolution = "raw" | "1m" | "1h";

/** Step of each table (raw is nominally 1 s: the finest output bucket) and how long it is kept. */
export const RESOLUTIONS: Record<Resolution, { stepMs: number; retentionMs: number }> = {
  raw: { stepMs: SECOND, retentionMs: 26 * HOUR },
  "1m": { stepMs: MINUTE, retentionMs: 31 * DAY },
  "1h": { stepMs: HOUR, retentionMs: 400 * DAY },
};

/** Ranges up to these lengths are served from raw and 1m; longer ones from 1h. */
export const RAW_MAX_RANGE_MS = 2 * HOUR;
export const MINUTE_MAX_RANGE_MS = 3 * DAY;

export const DEFAULT_MAX_POINTS = 1000;
export const MAX_MAX_POINTS = 10_000;

/**
 * Late samples (a probe's timestamp is earlier than the flush that stores it) still land in a bucket
 * that was already rolled, so each pass recomputes this much before its watermark.
 */
export const ROLLUP_LOOKBACK_MS: Record<"1m" | "1h", number> = { "1m": 5 * MINUTE, "1h": HOUR };

export function floorTo(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}

/**
 * The table a range is read from: by length (≤ 2 h raw, ≤ 3 days 1m, else 1h), then moved to a
 * coarser table when `from` is older than the finer one's retention (those rows are gone).
 */
export function chooseResolution(fromMs: number, toMs: number, nowMs: number): Resolution {
  const range = toMs - fromMs;
  let r: Resolution = range <= RAW_MAX_RANGE_MS ? "raw" : range <= MINUTE_MAX_RANGE_MS ? "1m" : "1h";
  if (r === "raw" && fromMs < nowMs - RESOLUTIONS.raw.retentionMs) r = "1m";
  if (r === "1m" && fromMs < nowMs - RESOLUTIONS["1m"].retentionMs) r = "1h";
  return r;
}

export interface SeriesPlan {
  resolution: Resolution;
  /** Output bucket width: a whole multiple of the table's step. */
  stepMs: number;
  /** Start of the first bucket: `from` floored to stepMs (so it can be before `from`). */
  originMs: number;
  /** Exclusive end of the range, as asked. */
  toMs: number;
  /** Number of buckets; always ≤ maxPoints. Bucket i covers [origin + i·step, origin + (i+1)·step). */
  buckets: number;
}

/**
 * Buckets for a series: as narrow as the table allows while there are at most maxPoints of them.
 * Buckets are aligned to multiples of stepMs since the epoch, so each rollup row (itself aligned
 * to its table's step) falls entirely inside one output bucket.
 */
export function planSeries(fromMs: number, toMs: number, nowMs: number, maxPoints: number): SeriesPlan {
  if (!(toMs > fromMs)) throw new RangeError("series range: `to` must be after `from`");
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError("series maxPoints must be an integer ≥ 2");
  const resolution = chooseResolution(fromMs, toMs, nowMs);
  const unit = RESOLUTIONS[resolution].stepMs;
  const range = toMs - fromMs;
  // Flooring `from` can add one bucket; with k ≥ kMax the count is provably ≤ maxPoints.
  const kMax = Math.max(1, Math.ceil(range / (unit * (maxPoints - 1))));
  for (let k = Math.max(1, Math.ceil(range / (unit * maxPoints))); ; k++) {
    const stepMs = k * unit;
    const originMs = floorTo(fromMs, stepMs);
    const buckets = Math.ceil((toMs - originMs) / stepMs);
    if (buckets <= maxPoints || k >= kMax) return { resolution, stepMs, originMs, toMs, buckets };
  }
}

/** One output bucket. `t` is the bucket start (epoch ms); a bucket without data has null values. */
export interface SeriesPoint {
  t: number;
  avg: number | null;
  min: number | null;
  max: number | null;
}

/** A non-empty bucket as aggregated by the database. */
export interface BucketRow {
  i: number;
  avg: number;
  min: number;
  max: number;
}

/**
 * Every bucket of the plan in time order, nulls where the database had no row: a gap stays a gap
 * (no interpolation, no carrying the last value forward).
 */
export function fillGaps(plan: SeriesPlan, rows: readonly BucketRow[]): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let i = 0; i < plan.buckets; i++) out.push({ t: plan.originMs + i * plan.stepMs, avg: null, min: null, max: null });
  for (const r of rows) {
    const p = out[r.i];
    if (!p) continue;
    p.avg = r.avg;
    p.min = r.min;
    p.max = r.max;
  }
  return out;
}

/**
 * The window of complete buckets a rollup pass recomputes: from a little before the watermark (or
 * the oldest source row on the first pass) up to the last bucket that ended at or before now.
 * Null when there is nothing to do.
 */
export function rollupWindow(opts: {
  stepMs: number;
  lookbackMs: number;
  doneUntilMs: number | null;
  oldestSourceMs: number | null;
  nowMs: number;
}): { fromMs: number; toMs: number } | null {
  const toMs = floorTo(opts.nowMs, opts.stepMs);
  let start: number | null = opts.doneUntilMs === null ? opts.oldestSourceMs : opts.doneUntilMs - opts.lookbackMs;
  if (start === null) return null;
  // After a long stop the watermark can be far behind the oldest row left: skip the empty stretch.
  if (opts.oldestSourceMs !== null && opts.oldestSourceMs > start) start = opts.oldestSourceMs;
  const fromMs = floorTo(start, opts.stepMs);
  return fromMs < toMs ? { fromMs, toMs } : null;
}

/** Rows strictly older than these instants are deleted by maintain(). */
export function retentionCutoffs(nowMs: number): Record<Resolution, number> {
  return {
    raw: nowMs - RESOLUTIONS.raw.retentionMs,
    "1m": nowMs - RESOLUTIONS["1m"].retentionMs,
    "1h": nowMs - RESOLUTIONS["1h"].retentionMs,
  };
}
