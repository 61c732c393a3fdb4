import type { QueryOptions, QueryResult } from "./client.js";

/** Options of `watch`. */
export interface WatchOptions {
  /** Longest wait of each blocking read, in ms; 5 min by default, as Consul's default. */
  readonly waitMs?: number;
  /** First delay after a failed read, in ms; doubles up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Called with each failure; the watch keeps going. */
  readonly onError?: (err: unknown) => void;
  readonly signal: AbortSignal;
}

/**
 * Runs a read as a continuous blocking watch, the way Consul's own watch package does: each answer
 * whose index moved is passed to `onChange` at once (no polling delay); an index that went
 * backwards (a server restored from an older snapshot) resets the watch to index 0; failures back
 * off exponentially. Resolves when `signal` aborts.
 */
export async function watch<T>(
  read: (opts: QueryOptions) => Promise<QueryResult<T>>,
  onChange: (value: T, index: number) => void | Promise<void>,
  options: WatchOptions,
): Promise<void> {
  const { signal } = options;
  const base = options.retryMs ?? 1000;
  const max = options.maxRetryMs ?? 30_000;
  let index = 0;
  let retry = base;
  while (!signal.aborted) {
    let result: QueryResult<T>;
    try {
      result = await read({ index, waitMs: options.waitMs ?? 5 * 60_000, signal });
    } catch (err) {
      if (signal.aborted) return;
      options.onError?.(err);
      await delay(retry, signal);
      retry = Math.min(max, retry * 2);
      continue;
    }
    retry = base;
    if (result.index < index) index = 0;
    if (result.index === index && index !== 0) continue;
    index = Math.max(1, result.index);
    await onChange(result.value, result.index);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
