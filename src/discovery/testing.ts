/** Test helpers shared by discovery's tests; not exported from the module's index. */
import { pino } from "pino";
import type { Logger } from "../runtime/index.js";
import type { Timers } from "./timers.js";
import type { Discoverer, LabelSet, TargetGroup } from "./types.js";

/** A real logger whose lines a test can wait for instead of sleeping. */
export interface ObservedLogger {
  readonly logger: Logger;
  /** Every line logged so far, parsed. */
  readonly lines: { msg: string; [k: string]: unknown }[];
  /** Resolves at the next line whose `msg` contains `text` (only lines logged after the call). */
  next(text: string, timeoutMs?: number): Promise<void>;
}

/** Creates an `ObservedLogger` at debug level. */
export function observedLogger(): ObservedLogger {
  const lines: { msg: string }[] = [];
  let waiters: { text: string; resolve: () => void }[] = [];
  const logger = pino(
    { level: "debug" },
    {
      write(s: string) {
        const line = JSON.parse(s) as { msg: string };
        lines.push(line);
        waiters = waiters.filter((w) => {
          if (!line.msg.includes(w.text)) return true;
          w.resolve();
          return false;
        });
      },
    },
  );
  return {
    logger,
    lines,
    next(text, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line containing ${JSON.stringify(text)} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** Timers that wait until the test calls `fire`, so interval-driven paths run on demand. */
export class ManualTimers implements Timers {
  #pending: { ms: number; resolve: () => void }[] = [];

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const entry = { ms, resolve };
      const done = () => {
        this.#pending = this.#pending.filter((e) => e !== entry);
        resolve();
      };
      entry.resolve = done;
      if (signal.aborted) return resolve();
      signal.addEventListener("abort", done, { once: true });
      this.#pending.push(entry);
    });
  }

  /** How many sleeps are waiting. */
  get waiting(): number {
    return this.#pending.length;
  }

  /** Ends every pending sleep of `ms` (all of them when omitted). */
  fire(ms?: number): void {
    for (const e of [...this.#pending]) if (ms === undefined || e.ms === ms) e.resolve();
  }
}

/**
 * A discoverer over groups held in memory, changed by the test; it passes the discoverer contract
 * and stands in for a real one where the consumer, not discovery, is under test.
 */
export class MemoryDiscoverer implements Discoverer {
  readonly #groups = new Map<string, TargetGroup>();
  readonly #emitters = new Set<(groups: readonly TargetGroup[]) => void>();
  /** How many times `run` has been called. */
  starts = 0;

  /** Runs in progress. */
  get running(): number {
    return this.#emitters.size;
  }

  /** Sets `source`'s targets (an empty list clears it) and tells every run. */
  set(source: string, addresses: readonly string[], labels: LabelSet = {}): void {
    const group = { source, targets: addresses.map((a) => ({ __address__: a })), labels };
    if (addresses.length > 0) this.#groups.set(source, group);
    else this.#groups.delete(source);
    for (const emit of this.#emitters) emit([group]);
  }

  async run(signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void): Promise<void> {
    this.starts++;
    if (signal.aborted) return;
    this.#emitters.add(emit);
    emit([...this.#groups.values()]);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    this.#emitters.delete(emit);
  }
}
