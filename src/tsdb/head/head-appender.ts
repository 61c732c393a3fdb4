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
import type { AppendBatch } from "./append-batch.js";
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
  // Marks the series this appender claimed (HeadSeries.batchOwner): a number, not the appender
  // itself, so a million long-lived series never point at a short-lived object.
  readonly #id: number;
  #batch: AppendBatch | undefined;
  // Slots of series another open appender claimed first; they cannot record this one's slot.
  #shared: Map<HeadSeries, number> | undefined;
  #done = false;

  /** `id` must differ from every other open appender's and from 0. */
  constructor(head: Head, id: number) {
    this.#head = head;
    this.#id = id;
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
    const batch = (this.#batch ??= head.takeBatch());
    let slot = series.batchOwner === this.#id ? series.batchSlot : this.#shared?.get(series);
    const lastT = slot === undefined ? series.maxTime : (batch.lastT[slot] as number);
    if (t <= lastT) {
      const lastV = slot === undefined ? series.lastValue : (batch.lastV[slot] as number);
      if (t === lastT && sameValue(v, lastV)) return series.ref;
      head.countRejected(t < lastT ? "outOfOrder" : "duplicate");
      throw t < lastT ? new OutOfOrderSampleError(t) : new DuplicateSampleError(t);
    }
    if (slot === undefined) {
      slot = batch.claim(series);
      series.pendingAppenders++;
      if (series.batchOwner === 0) {
        series.batchOwner = this.#id;
        series.batchSlot = slot;
      } else (this.#shared ??= new Map()).set(series, slot);
    }
    batch.lastT[slot] = t;
    batch.lastV[slot] = v;
    batch.push(series, t, v);
    return series.ref;
  }

  async commit(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    const batch = this.#batch;
    if (batch === undefined) {
      this.#head.assertOpen();
      return;
    }
    try {
      await this.#head.commit(batch);
    } finally {
      this.#release(batch);
    }
  }

  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (this.#batch !== undefined) this.#release(this.#batch);
  }

  #release(batch: AppendBatch): void {
    for (const s of batch.claimed) if (s.batchOwner === this.#id) s.batchOwner = 0;
    this.#head.release(batch.claimed);
    this.#batch = undefined;
    this.#shared = undefined;
    this.#head.returnBatch(batch);
  }
}
