import type { Labels } from "../model/index.js";
import type { SampleIterator } from "./interface.js";
import { ArraySampleIterator, lowerBound, upperBound } from "./sample-iterators.js";

// Small: most series of a scrape-fed store get one sample per interval, and growth doubles.
const INITIAL_CAPACITY = 4;

/**
 * One series of a MemoryStorage: committed samples in two parallel growable Float64Arrays (typed
 * arrays keep NaN payloads, so stale markers survive; plain arrays would canonicalise them).
 * Buffers are only ever appended to in place; growth and truncation copy into new buffers, so an
 * iterator handed out earlier keeps reading a consistent snapshot without locks.
 */
export class MemSeries {
  /** The series' reference, unique within its storage. */
  readonly ref: number;
  /** The series' labels. */
  readonly labels: Labels;
  /** How many open appenders hold uncommitted samples for this series; it is not collected while > 0. */
  pendingAppenders = 0;
  /**
   * The appender whose batch last touched this series, and that batch's newest sample for it.
   * Kept on the series rather than in a per-appender map: the check runs for every sample.
   */
  pendingOwner: object | undefined = undefined;
  pendingT = 0;
  pendingV = 0;
  #times = new Float64Array(INITIAL_CAPACITY);
  #values = new Float64Array(INITIAL_CAPACITY);
  #start = 0;
  #end = 0;

  constructor(ref: number, labels: Labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /** Number of committed samples. */
  get count(): number {
    return this.#end - this.#start;
  }

  /** Time of the oldest committed sample, or +Infinity when empty. */
  get minTime(): number {
    return this.count > 0 ? (this.#times[this.#start] as number) : Infinity;
  }

  /** Time of the newest committed sample, or -Infinity when empty. */
  get maxTime(): number {
    return this.count > 0 ? (this.#times[this.#end - 1] as number) : -Infinity;
  }

  /** Value of the newest committed sample (NaN when empty). */
  get lastValue(): number {
    return this.count > 0 ? (this.#values[this.#end - 1] as number) : NaN;
  }

  /** Appends a sample; the caller has checked that `t` is newer than `maxTime`. */
  append(t: number, v: number): void {
    if (this.#end === this.#times.length) this.#reallocate(Math.max(INITIAL_CAPACITY, this.count * 2));
    this.#times[this.#end] = t;
    this.#values[this.#end] = v;
    this.#end++;
  }

  /** Whether any committed sample lies in [mint, maxt]. */
  hasSamplesIn(mint: number, maxt: number): boolean {
    const i = lowerBound(this.#times, mint, this.#start, this.#end);
    return i < this.#end && (this.#times[i] as number) <= maxt;
  }

  /**
   * A factory of iterators over the samples in [mint, maxt] as committed now: every iterator it
   * makes sees the same samples, whatever is appended or truncated later.
   */
  snapshot(mint: number, maxt: number): () => SampleIterator {
    const times = this.#times;
    const values = this.#values;
    const lo = lowerBound(times, mint, this.#start, this.#end);
    const hi = upperBound(times, maxt, lo, this.#end);
    return () => new ArraySampleIterator(times, values, lo, hi);
  }

  /** Drops samples older than `beforeT`; returns how many were dropped. */
  truncate(beforeT: number): number {
    const cut = lowerBound(this.#times, beforeT, this.#start, this.#end);
    const dropped = cut - this.#start;
    this.#start = cut;
    // Reclaim the dead prefix once it dominates, into fresh buffers so live iterators are unaffected.
    if (this.#start > this.#times.length / 2) this.#reallocate(Math.max(INITIAL_CAPACITY, this.count * 2));
    return dropped;
  }

  #reallocate(capacity: number): void {
    const times = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    times.set(this.#times.subarray(this.#start, this.#end));
    values.set(this.#values.subarray(this.#start, this.#end));
    this.#end -= this.#start;
    this.#start = 0;
    this.#times = times;
    this.#values = values;
  }
}
