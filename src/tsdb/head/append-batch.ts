import type { HeadSeries } from "./head-series.js";

/**
 * The buffers of one head transaction: its samples in columns, and the series it touched with a
 * slot each for the series' newest sample in the batch. The head reuses batches across
 * transactions, so a scrape appending ten thousand samples allocates nothing for them once warm.
 */
export class AppendBatch {
  /** Series of sample i. */
  readonly series: HeadSeries[] = [];
  times: Float64Array = new Float64Array(INITIAL_SAMPLES);
  values: Float64Array = new Float64Array(INITIAL_SAMPLES);
  /** Samples held. */
  n = 0;
  /** The series touched, by slot. */
  readonly claimed: HeadSeries[] = [];
  /** Time and value of the newest sample of the series in each slot. */
  lastT: Float64Array = new Float64Array(INITIAL_SAMPLES);
  lastV: Float64Array = new Float64Array(INITIAL_SAMPLES);

  /** Adds a sample. */
  push(series: HeadSeries, t: number, v: number): void {
    const n = this.n;
    if (n === this.times.length) {
      this.times = grow(this.times, n);
      this.values = grow(this.values, n);
    }
    this.series[n] = series;
    this.times[n] = t;
    this.values[n] = v;
    this.n = n + 1;
  }

  /** Gives `series` the next slot and returns it. */
  claim(series: HeadSeries): number {
    const slot = this.claimed.length;
    this.claimed.push(series);
    if (slot === this.lastT.length) {
      this.lastT = grow(this.lastT, slot);
      this.lastV = grow(this.lastV, slot);
    }
    return slot;
  }

  /** Samples the buffers can hold without growing. */
  get capacity(): number {
    return this.times.length;
  }

  /** Empties the batch, keeping its memory; series references are dropped so they can be collected. */
  clear(): void {
    this.series.length = 0;
    this.claimed.length = 0;
    this.n = 0;
  }
}

const INITIAL_SAMPLES = 256;

function grow(a: Float64Array, used: number): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a.subarray(0, used));
  return b;
}
