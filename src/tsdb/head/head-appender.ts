import type { Labels } from "../../model/index.js";
import {
  AppenderDoneError,
  DuplicateSampleError,
  InvalidSampleError,
  OutOfBoundsError,
  OutOfOrderSampleError,
  isStaleNaN,
  type Appender,
  type SeriesRef,
} from "../../storage/index.js";
import type { Head } from "./head.js";
import type { HeadSeries } from "./head-series.js";

/** Whether two values have the same float64 bits as far as Prometheus cares (stale marker vs other NaN). */
function sameValue(a: number, b: number): boolean {
  return Object.is(a, b) && (!Number.isNaN(a) || isStaleNaN(a) === isStaleNaN(b));
}

/**
 * A head transaction. Samples are checked at `append` against the newest committed sample of
 * their series and the batch's own earlier ones, so a rejected sample throws there (and is
 * counted), as Prometheus's head appender does. The batch lives in typed arrays until commit.
 */
export class HeadAppender implements Appender {
  readonly #head: Head;
  #series: HeadSeries[] = [];
  #times: Float64Array = new Float64Array(64);
  #values: Float64Array = new Float64Array(64);
  #n = 0;
  // The batch's newest sample per series: times and values by slot, one slot per series.
  readonly #slot = new Map<HeadSeries, number>();
  #lastT: number[] = [];
  #lastV: Float64Array = new Float64Array(16);
  #done = false;

  constructor(head: Head) {
    this.#head = head;
  }

  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef {
    if (this.#done) throw new AppenderDoneError();
    const head = this.#head;
    head.assertOpen();
    if (labels.size === 0) throw new InvalidSampleError("empty labelset");
    if (!Number.isSafeInteger(t)) throw new InvalidSampleError(`timestamp ${t} is not an integer number of milliseconds`);
    if (t < head.appendableMinValidTime()) {
      head.countRejected("outOfBounds");
      throw new OutOfBoundsError(t);
    }
    const series = head.getOrCreate(ref, labels);
    let slot = this.#slot.get(series);
    const lastT = slot === undefined ? series.maxTime : (this.#lastT[slot] as number);
    if (t <= lastT) {
      const lastV = slot === undefined ? series.lastValue : (this.#lastV[slot] as number);
      if (t === lastT && sameValue(v, lastV)) return series.ref;
      head.countRejected(t < lastT ? "outOfOrder" : "duplicate");
      throw t < lastT ? new OutOfOrderSampleError(t) : new DuplicateSampleError(t);
    }
    if (slot === undefined) {
      slot = this.#lastT.length;
      this.#slot.set(series, slot);
      series.pendingAppenders++;
      if (slot === this.#lastV.length) this.#lastV = grow(this.#lastV, slot);
      this.#lastT.push(t);
    } else this.#lastT[slot] = t;
    this.#lastV[slot] = v;
    this.#push(series, t, v);
    return series.ref;
  }

  async commit(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    try {
      await this.#head.commit(this.#series, this.#times, this.#values, this.#n);
    } finally {
      this.#head.release(this.#slot.keys());
      this.#clear();
    }
  }

  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#head.release(this.#slot.keys());
    this.#clear();
  }

  #push(series: HeadSeries, t: number, v: number): void {
    if (this.#n === this.#times.length) {
      this.#times = grow(this.#times, this.#n);
      this.#values = grow(this.#values, this.#n);
    }
    this.#series.push(series);
    this.#times[this.#n] = t;
    this.#values[this.#n] = v;
    this.#n++;
  }

  #clear(): void {
    this.#series = [];
    this.#n = 0;
    this.#slot.clear();
    this.#lastT = [];
  }
}

function grow(a: Float64Array, used: number): Float64Array {
  const b = new Float64Array(Math.max(16, a.length * 2));
  b.set(a.subarray(0, used));
  return b;
}
