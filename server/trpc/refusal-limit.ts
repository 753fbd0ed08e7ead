/**
 * How many refusals of one actor the audit log records: at most `max` rows per actor (per client
 * address when nobody is signed in) in a fixed window, and at most `maxTotal` over everyone, so a
 * script hammering a forbidden procedure cannot flood the log. What is dropped is counted, and the
 * count is written as one summary row when the window ends. Pure (the clock is a parameter);
 * state lives in memory, per process.
 */

export interface RefusalLimit {
  windowMs: number;
  /** Rows per actor (or anonymous address) per window. */
  max: number;
  /** Rows over all actors per window. */
  maxTotal: number;
}

export const REFUSAL_LIMIT: RefusalLimit = { windowMs: 60_000, max: 5, maxTotal: 100 };

/** Refusals not recorded one by one: whose (`who`, as given to `admit`), how many, when the first and the last came. */
export interface Dropped<T> {
  key: string;
  who: T;
  count: number;
  from: number;
  to: number;
}

interface Window<T> {
  start: number;
  who: T;
  recorded: number;
  dropped: Dropped<T> | null;
}

/** Beyond this many actors in a window, newcomers only count against the overall cap. */
const MAX_KEYS = 10_000;

/** The key everyone's refusals share for the overall cap. */
export const ALL = "*";

export class RefusalLimiter<T> {
  readonly #windows = new Map<string, Window<T>>();

  /** `everyone`: the `who` of the overall cap's summary. */
  constructor(
    readonly everyone: T,
    readonly limit: RefusalLimit = REFUSAL_LIMIT,
  ) {}

  /**
   * One refusal of `key` at `now`: whether to record it, and the summaries of windows that have ended
   * with refusals dropped (the caller writes those first).
   */
  admit(key: string, who: T, now: number): { record: boolean; ended: Dropped<T>[] } {
    const ended: Dropped<T>[] = [];
    this.#sweep(now);
    const all = this.#current(ALL, this.everyone, now, ended);
    const mine = key !== ALL && (this.#windows.has(key) || this.#windows.size < MAX_KEYS) ? this.#current(key, who, now, ended) : all;
    const record = (mine === all || mine.recorded < this.limit.max) && all.recorded < this.limit.maxTotal;
    if (record) {
      mine.recorded++;
      if (mine !== all) all.recorded++;
    } else {
      // Counted once, against the cap that was reached: the actor's own, else everyone's.
      const [k, w] = mine !== all && mine.recorded >= this.limit.max ? [key, mine] : [ALL, all];
      w.dropped = w.dropped ? { ...w.dropped, count: w.dropped.count + 1, to: now } : { key: k, who: w.who, count: 1, from: now, to: now };
    }
    return { record, ended };
  }

  /** When the first window holding dropped refusals ends, or null when none does: the caller flushes then. */
  nextFlushAt(): number | null {
    let at: number | null = null;
    for (const w of this.#windows.values()) if (w.dropped && (at === null || w.start + this.limit.windowMs < at)) at = w.start + this.limit.windowMs;
    return at;
  }

  /** Summaries of every ended window with refusals dropped, taken (each is returned once). */
  takeEnded(now: number): Dropped<T>[] {
    const out: Dropped<T>[] = [];
    for (const [key, w] of this.#windows) {
      if (now - w.start < this.limit.windowMs) continue;
      if (w.dropped) out.push(w.dropped);
      this.#windows.delete(key);
    }
    return out;
  }

  #current(key: string, who: T, now: number, ended: Dropped<T>[]): Window<T> {
    let w = this.#windows.get(key);
    if (w && now - w.start >= this.limit.windowMs) {
      if (w.dropped) ended.push(w.dropped);
      w = undefined;
    }
    if (!w) {
      w = { start: now, who, recorded: 0, dropped: null };
      this.#windows.set(key, w);
    }
    return w;
  }

  /** Forgets ended windows with nothing to report, so memory follows the actors of the last minute. */
  #sweep(now: number): void {
    if (this.#windows.size < 1_000) return;
    for (const [key, w] of this.#windows) if (!w.dropped && now - w.start >= this.limit.windowMs) this.#windows.delete(key);
  }
}
