import type { Labels } from "../../model/index.js";
import { seriesFromSamples, type Series } from "../../storage/index.js";
import { TsdbToolError } from "./errors.js";

/** Samples of one series: committed ones (strictly rising in time) and the current batch. */
class SeriesBuffer {
  readonly labels: Labels;
  times = new Float64Array(16);
  values = new Float64Array(16);
  count = 0;
  pendingTimes: number[] = [];
  // A Float64Array keeps NaN payloads (stale markers) that a plain array may canonicalise.
  pendingValues = new Float64Array(16);

  constructor(labels: Labels) {
    this.labels = labels;
  }

  push(t: number, v: number): void {
    if (this.count === this.times.length) {
      this.times = grow(this.times);
      this.values = grow(this.values);
    }
    this.times[this.count] = t;
    this.values[this.count] = v;
    this.count++;
  }
}

/**
 * Gathers samples per series the way Prometheus's head appender takes them in batches: `append`
 * checks a sample against what is committed (older is "out of order sample", the same time with
 * other value bits is "duplicate sample for timestamp"); `commit` keeps, per series, each batch
 * sample that is after the series' last kept one and silently drops the rest, as the head does.
 */
export class SeriesCollector {
  readonly #bySpelling = new Map<string, SeriesBuffer>();
  readonly #byLabels = new Map<string, SeriesBuffer>();
  readonly #touched = new Set<SeriesBuffer>();

  /**
   * Adds a sample to the current batch. `spelling` (the raw series text) finds the series cheaply;
   * `labels` is asked only for a spelling not seen before. Throws TsdbToolError for a rejected sample.
   */
  append(spelling: Uint8Array, labels: () => Labels, t: number, v: number): void {
    const key = Buffer.from(spelling.buffer, spelling.byteOffset, spelling.byteLength).toString("latin1");
    let s = this.#bySpelling.get(key);
    if (s === undefined) {
      const ls = labels();
      const canonical = ls.toString();
      s = this.#byLabels.get(canonical);
      if (s === undefined) {
        s = new SeriesBuffer(ls);
        this.#byLabels.set(canonical, s);
      }
      this.#bySpelling.set(key, s);
    }
    if (s.count > 0) {
      const lastT = s.times[s.count - 1] as number;
      if (t < lastT) throw new TsdbToolError("add sample: out of order sample");
      if (t === lastT && !sameBits(v, s.values[s.count - 1] as number)) throw new TsdbToolError("add sample: duplicate sample for timestamp");
    }
    const n = s.pendingTimes.length;
    if (n === s.pendingValues.length) s.pendingValues = grow(s.pendingValues);
    s.pendingTimes.push(t);
    s.pendingValues[n] = v;
    this.#touched.add(s);
  }

  /** Ends the batch: keeps its samples that rise in time per series, drops the others. */
  commit(): void {
    for (const s of this.#touched) {
      for (let i = 0; i < s.pendingTimes.length; i++) {
        const t = s.pendingTimes[i] as number;
        if (s.count > 0 && t <= (s.times[s.count - 1] as number)) continue;
        s.push(t, s.pendingValues[i] as number);
      }
      s.pendingTimes = [];
    }
    this.#touched.clear();
  }

  /** The committed series that hold at least one sample. */
  series(): Series[] {
    const out: Series[] = [];
    for (const s of this.#byLabels.values()) {
      if (s.count > 0) out.push(seriesFromSamples(s.labels, s.times.subarray(0, s.count), s.values.subarray(0, s.count)));
    }
    return out;
  }
}

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

// Only called for two samples at the same time, which is rare, so the scratch buffer is not pooled.
function sameBits(a: number, b: number): boolean {
  const words = new Uint32Array(Float64Array.of(a, b).buffer);
  return words[0] === words[2] && words[1] === words[3];
}
