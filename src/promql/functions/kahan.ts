/**
 * Compensated summation as Prometheus 3 does it (`util/kahansum`: Kahan with Neumaier's swap), and
 * the sum, mean and variance accumulators its aggregations are built from. The classes keep their
 * state in fields so that a caller adds one value at a time without allocating; reuse them with
 * `reset()`.
 */

/**
 * One compensated addition: returns the new `[sum, c]`. Prometheus's `kahansum.Inc`; the running
 * total is `sum + c`. When the sum overflows to ±Inf the compensation is reset to 0.
 * Allocates the pair; loops should use {@link KahanSum} instead.
 */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t === Infinity || t === -Infinity) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) return [t, c + (sum - t + inc)];
  return [t, c + (inc - t + sum)];
}

/** A compensated running sum: P3's `sum` aggregation and `sum_over_time`. */
export class KahanSum {
  #sum = 0;
  #c = 0;

  /** Adds one value. */
  add(inc: number): void {
    const sum = this.#sum;
    const t = sum + inc;
    if (t === Infinity || t === -Infinity) this.#c = 0;
    else if (Math.abs(sum) >= Math.abs(inc)) this.#c += sum - t + inc;
    else this.#c += inc - t + sum;
    this.#sum = t;
  }

  /** The sum so far: `sum + c`, or the bare sum once it is infinite (as sum_over_time). */
  value(): number {
    const sum = this.#sum;
    return sum === Infinity || sum === -Infinity ? sum : sum + this.#c;
  }

  /** Starts over at 0. */
  reset(): void {
    this.#sum = 0;
    this.#c = 0;
  }
}

/**
 * The mean of P3's `avg` aggregation and `avg_over_time`: a compensated sum divided by the count
 * for as long as that sum stays finite, then, from the value that would overflow it, an
 * incremental mean (each new value weighted 1/n, the mean so far (n-1)/n), still compensated.
 */
export class KahanMean {
  #count = 0;
  #sum = 0;
  #c = 0;
  #mean = 0;
  #incremental = false;

  /** Adds one value. */
  add(x: number): void {
    const count = ++this.#count;
    if (count === 1) {
      this.#sum = x;
      this.#mean = x;
      this.#c = 0;
      return;
    }
    if (!this.#incremental) {
      const sum = this.#sum;
      const t = sum + x;
      if (t !== Infinity && t !== -Infinity) {
        if (Math.abs(sum) >= Math.abs(x)) this.#c += sum - t + x;
        else this.#c += x - t + sum;
        this.#sum = t;
        return;
      }
      this.#incremental = true;
      this.#mean = sum / (count - 1);
      this.#c /= count - 1;
    }
    const q = (count - 1) / count;
    const inc = x / count;
    const mean = q * this.#mean;
    const c = q * this.#c;
    const t = mean + inc;
    if (t === Infinity || t === -Infinity) this.#c = 0;
    else if (Math.abs(mean) >= Math.abs(inc)) this.#c = c + (mean - t + inc);
    else this.#c = c + (inc - t + mean);
    this.#mean = t;
  }

  /** The mean of the values added so far; NaN before the first. */
  value(): number {
    if (this.#count === 0) return NaN;
    if (this.#incremental) return this.#mean + this.#c;
    return this.#sum / this.#count + this.#c / this.#count;
  }

  /** Number of values added. */
  get count(): number {
    return this.#count;
  }

  /** Forgets every value. */
  reset(): void {
    this.#count = 0;
    this.#sum = 0;
    this.#c = 0;
    this.#mean = 0;
    this.#incremental = false;
  }
}

/**
 * The population variance of P3's `stddev`/`stdvar` aggregations: Welford's update without
 * compensation, NaN from the start when the first value is NaN or ±Inf. (stddev_over_time and
 * stdvar_over_time use a compensated form of their own.)
 */
export class WelfordVariance {
  #count = 0;
  #mean = 0;
  #m2 = 0;

  /** Adds one value. */
  add(x: number): void {
    const count = ++this.#count;
    if (count === 1) {
      this.#mean = x;
      this.#m2 = Number.isFinite(x) ? 0 : NaN;
      return;
    }
    const delta = x - this.#mean;
    this.#mean += delta / count;
    this.#m2 += delta * (x - this.#mean);
  }

  /** The population variance (stdvar); take its square root for stddev. NaN before the first value. */
  variance(): number {
    return this.#count === 0 ? NaN : this.#m2 / this.#count;
  }

  /** Forgets every value. */
  reset(): void {
    this.#count = 0;
    this.#mean = 0;
    this.#m2 = 0;
  }
}
