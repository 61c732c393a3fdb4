import { setTimeout as sleep } from "node:timers/promises";
import { PeerTimeoutError } from "./errors.js";

/** Deadline and pacing of a poll loop. */
export interface PollOptions {
  /** Total time allowed, in milliseconds. */
  readonly timeoutMs?: number;
  /** Pause between attempts, in milliseconds. */
  readonly intervalMs?: number;
  /** Aborts the wait early. */
  readonly signal?: AbortSignal;
  /** Names what is awaited, for the timeout message. */
  readonly what?: string;
}

/**
 * Calls `probe` until it returns something other than `undefined`/`false` and returns that value;
 * a throwing probe counts as "not yet", and its last error is kept as the timeout's cause.
 */
export async function pollUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: PollOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, signal, what = "condition" } = options;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() >= deadline) {
      const detail = lastError instanceof Error ? `: last error: ${lastError.message}` : "";
      throw new PeerTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`, {
        cause: lastError,
      });
    }
    await sleep(intervalMs, undefined, signal ? { signal } : undefined);
  }
}
