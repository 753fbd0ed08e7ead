/**
 * Waiting that always ends: on its timer, on an abort, or on a wake. Loops that wait for "the next
 * change or the next tick" use these instead of hand-made Promise.race constructions, so no timer or
 * abort listener is left behind.
 */

/** Resolves when the signal aborts (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** `work`, or a rejection with the signal's reason once it aborts: for work that cannot take a signal itself. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([work, whenAborted(signal).then(() => Promise.reject(signal.reason))]);
}

/** Resolves after `ms`, or sooner when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * A wake-up call for a waiting loop: `wake()` ends the current (or the next) `wait()`. A wake that
 * comes while nobody waits is remembered, so a change between two waits is never slept through.
 */
export class Waker {
  private pending = false;
  private resolve: (() => void) | undefined;

  wake(): void {
    if (this.resolve) this.resolve();
    else this.pending = true;
  }

  /** Resolves on a wake, after `ms` (when given), or when the signal aborts, whichever comes first. */
  wait(ms?: number, signal?: AbortSignal): Promise<"wake" | "timeout" | "abort"> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve("wake");
    }
    if (signal?.aborted) return Promise.resolve("abort");
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (why: "wake" | "timeout" | "abort") => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.resolve = undefined;
        resolve(why);
      };
      const onAbort = () => finish("abort");
      this.resolve = () => finish("wake");
      if (ms !== undefined) timer = setTimeout(() => finish("timeout"), Math.max(0, ms));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
