/**
 * Waiting, injected so tests can fire refresh and coalescing timers on demand instead of sleeping.
 */
export interface Timers {
  /** Resolves after `ms` milliseconds, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Timers backed by `setTimeout`. */
export function systemTimers(): Timers {
  return {
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal.aborted) {
          resolve();
          return;
        }
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener("abort", done, { once: true });
      }),
  };
}
