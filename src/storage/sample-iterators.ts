import type { SampleIterator } from "./interface.js";

/**
 * Iterates `times[lo..hi)` / `values[lo..hi)`. The arrays are read, never written, so a caller may
 * hand out views of buffers it only ever appends to: samples added later stay invisible.
 */
export class ArraySampleIterator implements SampleIterator {
  readonly #times: Float64Array;
  readonly #values: Float64Array;
  readonly #lo: number;
  readonly #hi: number;
  #pos: number;

  /** Iterates the samples at indexes [lo, hi) of two parallel arrays sorted by time. */
  constructor(times: Float64Array, values: Float64Array, lo = 0, hi = times.length) {
    this.#times = times;
    this.#values = values;
    this.#lo = lo;
    this.#hi = hi;
    this.#pos = lo - 1;
  }

  next(): boolean {
    if (this.#pos < this.#hi) this.#pos++;
    return this.#pos < this.#hi;
  }

  seek(t: number): boolean {
    if (this.#pos < this.#lo) this.#pos = this.#lo;
    if (this.#pos >= this.#hi) return false;
    if ((this.#times[this.#pos] as number) >= t) return true;
    this.#pos = lowerBound(this.#times, t, this.#pos, this.#hi);
    return this.#pos < this.#hi;
  }

  at(): number {
    return this.#times[this.#pos] as number;
  }

  value(): number {
    return this.#values[this.#pos] as number;
  }
}

/** The first index in [lo, hi) whose time is >= t, or hi when there is none. */
export function lowerBound(times: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index in [lo, hi) whose time is > t, or hi when there is none. */
export function upperBound(times: Float64Array, t: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Plays iterators one after another; each must end before the next begins (as chunks of one
 * series do). Overlapping inputs need `mergeIterators` instead.
 */
export function concatIterators(iterators: readonly SampleIterator[]): SampleIterator {
  let i = 0;
  return {
    next() {
      while (i < iterators.length) {
        if ((iterators[i] as SampleIterator).next()) return true;
        i++;
      }
      return false;
    },
    seek(t) {
      while (i < iterators.length) {
        if ((iterators[i] as SampleIterator).seek(t)) return true;
        i++;
      }
      return false;
    },
    at: () => (iterators[i] as SampleIterator).at(),
    value: () => (iterators[i] as SampleIterator).value(),
  };
}

/**
 * Merges iterators of the same series by time; when several hold a sample at the same time, the
 * earliest-listed iterator's value wins and the others are dropped (Prometheus's chain merge).
 */
export function mergeIterators(iterators: readonly SampleIterator[]): SampleIterator {
  if (iterators.length === 1) return iterators[0] as SampleIterator;
  return new ChainSampleIterator(iterators);
}

class ChainSampleIterator implements SampleIterator {
  readonly #its: readonly SampleIterator[];
  readonly #valid: boolean[];
  #started = false;
  #cur = -1;

  constructor(iterators: readonly SampleIterator[]) {
    this.#its = iterators;
    this.#valid = iterators.map(() => false);
  }

  next(): boolean {
    if (!this.#started) {
      this.#started = true;
      this.#its.forEach((it, i) => (this.#valid[i] = it.next()));
    } else {
      if (this.#cur < 0) return false;
      const t = this.at();
      this.#its.forEach((it, i) => {
        if (this.#valid[i] && it.at() === t) this.#valid[i] = it.next();
      });
    }
    return this.#pick();
  }

  seek(t: number): boolean {
    if (this.#started && this.#cur < 0) return false;
    if (this.#started && this.at() >= t) return true;
    this.#its.forEach((it, i) => {
      if (!this.#started || this.#valid[i]) this.#valid[i] = it.seek(t);
    });
    this.#started = true;
    return this.#pick();
  }

  at(): number {
    return (this.#its[this.#cur] as SampleIterator).at();
  }

  value(): number {
    return (this.#its[this.#cur] as SampleIterator).value();
  }

  #pick(): boolean {
    this.#cur = -1;
    let best = Infinity;
    this.#its.forEach((it, i) => {
      if (this.#valid[i] && (this.#cur < 0 || it.at() < best)) {
        this.#cur = i;
        best = it.at();
      }
    });
    return this.#cur >= 0;
  }
}
