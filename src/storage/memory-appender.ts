import type { Labels } from "../model/index.js";
import { isStaleNaN, type Appender, type SeriesRef } from "./interface.js";
import { AppenderDoneError, DuplicateSampleError, InvalidSampleError, OutOfBoundsError, OutOfOrderSampleError } from "./errors.js";
import type { MemSeries } from "./memory-series.js";

/** What a MemoryAppender needs from its storage. */
export interface SeriesStore {
  /** Throws StorageClosedError once the storage is closed. */
  assertOpen(): void;
  /** Samples older than this (ms) are out of bounds. */
  minValidTime(): number;
  /** The series for `ref` when it is live and has these labels, else the one for `labels`, created if new. */
  getOrCreate(ref: SeriesRef, labels: Labels): MemSeries;
  /** Applies a batch: `series[i]` receives (`times[i]`, `values[i]`) for i < n. */
  apply(series: readonly MemSeries[], times: Float64Array, values: Float64Array, n: number): void;
  /** Forgets the batch's claim on these series, collecting those left without samples. */
  release(series: Iterable<MemSeries>): void;
}

/** Whether two values have the same float64 bits, telling a stale marker from other NaNs. */
export function sameValue(a: number, b: number): boolean {
  return Object.is(a, b) && (!Number.isNaN(a) || isStaleNaN(a) === isStaleNaN(b));
}

/**
 * Buffers samples until commit, checking each against the newest committed sample of its series
 * and against the batch's own earlier samples, so a rejected sample throws at `append`, as
 * Prometheus's head appender does, and never reaches the series.
 */
export class MemoryAppender implements Appender {
  readonly #store: SeriesStore;
  #series: MemSeries[] = [];
  #times = new Float64Array(64);
  #values = new Float64Array(64);
  #n = 0;
  // Newest sample per series in this batch; one entry per series, not per sample.
  readonly #last = new Map<MemSeries, { t: number; v: number }>();
  // Series whose pending slot this appender holds.
  #owned: MemSeries[] = [];
  #done = false;

  constructor(store: SeriesStore) {
    this.#store = store;
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    if (this.#done) throw new AppenderDoneError();
    this.#store.assertOpen();
    if (labels.size === 0) throw new InvalidSampleError("empty labelset");
    if (!Number.isSafeInteger(t)) throw new InvalidSampleError(`timestamp ${t} is not an integer number of milliseconds`);
    if (t < this.#store.minValidTime()) throw new OutOfBoundsError(t);
    const series = this.#store.getOrCreate(ref, labels);
    // Fast path: this appender owns the series' pending slot. Another appender's series goes
    // through the map, as several scrapes may append to one series.
    const owned = series.pendingOwner === this;
    const pending = owned ? undefined : this.#last.get(series);
    const known = owned || pending !== undefined;
    const lastT = owned ? series.pendingT : (pending?.t ?? series.maxTime);
    if (t < lastT) throw new OutOfOrderSampleError(t);
    if (t === lastT) {
      if (sameValue(v, owned ? series.pendingV : (pending?.v ?? series.lastValue))) return series.ref;
      throw new DuplicateSampleError(t);
    }
    if (!known) {
      series.pendingAppenders++;
      if (series.pendingOwner === undefined) {
        series.pendingOwner = this;
        series.pendingT = t;
        series.pendingV = v;
        this.#owned.push(series);
      } else {
        this.#last.set(series, { t, v });
      }
    } else if (owned) {
      series.pendingT = t;
      series.pendingV = v;
    } else {
      (pending as { t: number; v: number }).t = t;
      (pending as { t: number; v: number }).v = v;
    }
    this.#push(series, t, v);
    return series.ref;
  }

  async commit(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#store.assertOpen();
      this.#store.apply(this.#series, this.#times, this.#values, this.#n);
    } finally {
      this.#releaseAll();
    }
  }

  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#releaseAll();
  }

  #releaseAll(): void {
    for (const series of this.#owned) series.pendingOwner = undefined;
    this.#store.release(this.#owned);
    this.#store.release(this.#last.keys());
    this.#owned = [];
    this.#clear();
  }

  #push(series: MemSeries, t: number, v: number): void {
    if (this.#n === this.#times.length) {
      const times = new Float64Array(this.#n * 2);
      const values = new Float64Array(this.#n * 2);
      times.set(this.#times);
      values.set(this.#values);
      this.#times = times;
      this.#values = values;
    }
    this.#series.push(series);
    this.#times[this.#n] = t;
    this.#values[this.#n] = v;
    this.#n++;
  }

  #clear(): void {
    this.#series = [];
    this.#n = 0;
    this.#last.clear();
  }
}
