/** An opaque handle of one pending timer. */
export type TimerHandle = unknown;

/** One-shot timers, injected so that tests move time by hand instead of sleeping. */
export interface Scheduler {
  /** Calls `fn` once, `ms` milliseconds from now, unless cleared first. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a pending timer; clearing a fired or cleared timer does nothing. */
  clearTimeout(handle: TimerHandle): void;
}

/** The real scheduler, backed by the event loop's timers. */
export function systemScheduler(): Scheduler {
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

interface ManualTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly delayMs: number;
  readonly fn: () => void;
}

/**
 * A scheduler whose time moves only through `advance`, for tests. It keeps its own notion of now
 * (optionally mirrored into a `ManualClock`-like sink) so timers and clock never disagree.
 */
export class ManualScheduler implements Scheduler {
  #nowMs = 0;
  #nextId = 1;
  #timers: ManualTimer[] = [];
  #waiters: { delayMs: number; resolve: () => void }[] = [];
  readonly #clock: { advance(ms: number): void } | undefined;

  /** `clock`, when given, is advanced in step with this scheduler. */
  constructor(clock?: { advance(ms: number): void }) {
    this.#clock = clock;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const delayMs = Math.max(0, ms);
    const timer: ManualTimer = { id: this.#nextId++, dueMs: this.#nowMs + delayMs, delayMs, fn };
    this.#timers.push(timer);
    this.#waiters = this.#waiters.filter((w) => {
      if (w.delayMs !== delayMs) return true;
      w.resolve();
      return false;
    });
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  /** Number of timers not yet fired nor cleared. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in due order (ties in creation order). */
  advance(ms: number): void {
    const target = this.#nowMs + ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => t.dueMs <= target)
        .sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#clock?.advance(due.dueMs - this.#nowMs);
      this.#nowMs = due.dueMs;
      due.fn();
    }
    this.#clock?.advance(target - this.#nowMs);
    this.#nowMs = target;
  }

  /**
   * Resolves once a timer with exactly this delay is pending (at once if one already is); how a
   * test learns that asynchronous work behind a timer finished and scheduled its successor.
   */
  whenScheduled(delayMs: number): Promise<void> {
    if (this.#timers.some((t) => t.delayMs === delayMs)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ delayMs, resolve }));
  }
}
