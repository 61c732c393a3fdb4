/**
 * Quantiles as Prometheus 3 computes them (`promql/quantile.go`): over plain values for the
 * `quantile` aggregation and quantile_over_time, and over the cumulative buckets of a classic
 * histogram for histogram_quantile and histogram_fraction.
 */
import { goSortFunc } from "./go-sort.js";

/** One bucket of a classic histogram: the `le` bound and the cumulative count up to it. */
export interface Bucket {
  readonly upperBound: number;
  readonly count: number;
}

/** The answer of {@link bucketQuantile}. */
export interface BucketQuantileResult {
  /** The estimated quantile. */
  readonly value: number;
  /** Whether a bucket count below an earlier one had to be raised (the evaluator then emits the info). */
  readonly forcedMonotonicity: boolean;
  /** Whether differences small enough to be float noise (relative 1e-12) were ignored. */
  readonly fixedPrecision: boolean;
  /** Lowest upper bound whose count was raised; +Inf when none was (0 when the buckets were not examined). */
  readonly minBucket: number;
  /** Highest upper bound whose count was raised; -Inf when none was (0 when the buckets were not examined). */
  readonly maxBucket: number;
  /** Largest count decrease that was removed. */
  readonly maxDiff: number;
}

/** Relative difference between neighbouring bucket counts that is taken for float noise. */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * The φ-quantile of `values`, interpolating between the two nearest ranks. NaN for no values or a
 * NaN φ, -Inf for φ < 0, +Inf for φ > 1. NaN values sort below every number, as in Prometheus.
 * `values` is not modified.
 */
export function quantile(q: number, values: readonly number[]): number {
  return quantileOf(q, values, values.length);
}

/** {@link quantile} over the first `n` entries of `values`; copies them once. */
export function quantileOf(q: number, values: ArrayLike<number>, n: number): number {
  if (n === 0 || Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = sortNaNFirst(values, n);
  return quantileSorted(q, sorted);
}

/**
 * Copies the first `n` values into a new array sorted ascending with NaNs first, as Go's sort with
 * Prometheus's `NaN is less than anything` order leaves them. -0 and +0 are equal to Go, so when
 * both occur their order is Go's (the same algorithm over the same input order).
 */
export function sortNaNFirst(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  let nans = 0;
  let negativeZero = false;
  let positiveZero = false;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) nans++;
    else if (v === 0) {
      if (Object.is(v, -0)) negativeZero = true;
      else positiveZero = true;
    }
  }
  if (negativeZero && positiveZero) {
    const copy = Array.from({ length: n }, (_, i) => values[i] as number);
    goSortFunc(copy, (a, b) => (Number.isNaN(a) || a < b ? -1 : 1));
    out.set(copy);
    return out;
  }
  out.fill(NaN, 0, nans);
  let k = nans;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) out[k++] = v;
  }
  out.subarray(nans).sort();
  return out;
}

/** The φ-quantile (0 ≤ φ ≤ 1) of values already sorted by {@link sortNaNFirst}. */
export function quantileSorted(q: number, sorted: Float64Array): number {
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/**
 * histogram_quantile over classic buckets (any order; equal bounds are merged). The buckets need
 * a +Inf bound and at least two distinct bounds, else NaN; no observations give NaN. φ NaN gives
 * NaN, φ < 0 -Inf, φ > 1 +Inf. Counts are first evened out (float-noise differences ignored,
 * decreases raised), the quantile is then interpolated linearly inside its bucket, with 0 as the
 * lower edge of a positive first bucket and the second-highest bound for the +Inf bucket.
 * `buckets` is not modified.
 */
export function bucketQuantile(q: number, buckets: readonly Bucket[]): BucketQuantileResult {
  if (Number.isNaN(q)) return untouched(NaN);
  if (q < 0) return untouched(-Infinity);
  if (q > 1) return untouched(Infinity);
  const sorted = sortAndCoalesce(buckets);
  if (sorted === undefined) return untouched(NaN);
  const { upper, count } = sorted;
  const fix = ensureMonotonic(upper, count);
  const n = upper.length;
  const result = (value: number): BucketQuantileResult => ({ value, ...fix });
  if (n < 2) return result(NaN);
  const observations = count[n - 1] as number;
  if (observations === 0) return result(NaN);
  let rank = q * observations;
  const b = search(n - 1, (i) => (count[i] as number) >= rank);
  if (b === n - 1) return result(upper[n - 2] as number);
  if (b === 0 && (upper[0] as number) <= 0) return result(upper[0] as number);
  let bucketStart = 0;
  const bucketEnd = upper[b] as number;
  let bucketCount = count[b] as number;
  if (b > 0) {
    bucketStart = upper[b - 1] as number;
    bucketCount -= count[b - 1] as number;
    rank -= count[b - 1] as number;
  }
  return result(bucketStart + (bucketEnd - bucketStart) * (rank / bucketCount));
}

/**
 * histogram_fraction over classic buckets: the share of observations between `lower` and `upper`,
 * interpolating linearly inside buckets (a positive first bucket starts at 0; the -Inf-wide first
 * bucket and the +Inf bucket are never interpolated). NaN without a +Inf bucket, without
 * observations, or for a NaN bound; 0 when lower ≥ upper. `buckets` is not modified.
 */
export function bucketFraction(lower: number, upper: number, buckets: readonly Bucket[]): number {
  const sorted = sortAndCoalesce(buckets);
  if (sorted === undefined) return NaN;
  const bounds = sorted.upper;
  const counts = sorted.count;
  const n = bounds.length;
  const total = counts[n - 1] as number;
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  let lowerBound = (bounds[0] as number) <= 0 ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) lowerBound = bounds[i - 1] as number;
    const upperBound = bounds[i] as number;
    const bucketCount = counts[i] as number;
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower, lowerBound, upperBound, rank, bucketCount);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper, lowerBound, upperBound, rank, bucketCount);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = bucketCount;
  }
  if (!lowerSet || lowerRank > total) lowerRank = total;
  if (!upperSet || upperRank > total) upperRank = total;
  return (upperRank - lowerRank) / total;
}

/** The cumulative count at `v` inside a bucket; the -Inf-wide first bucket is taken whole. */
function interpolate(v: number, lowerBound: number, upperBound: number, rank: number, bucketCount: number): number {
  if (lowerBound === -Infinity) return bucketCount;
  return rank + ((bucketCount - rank) * (v - lowerBound)) / (upperBound - lowerBound);
}

function untouched(value: number): BucketQuantileResult {
  return { value, forcedMonotonicity: false, fixedPrecision: false, minBucket: 0, maxBucket: 0, maxDiff: 0 };
}

/** Sorted by bound with equal bounds summed; undefined when empty or the highest bound is not +Inf. */
function sortAndCoalesce(buckets: readonly Bucket[]): { upper: number[]; count: number[] } | undefined {
  if (buckets.length === 0) return undefined;
  // Go's unstable sort, so that equal bounds are summed in the same order as in Prometheus.
  const order = buckets.slice();
  goSortFunc(order, (a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if ((order[order.length - 1] as Bucket).upperBound !== Infinity) return undefined;
  const upper: number[] = [];
  const count: number[] = [];
  for (const b of order) {
    const last = upper.length - 1;
    if (last >= 0 && upper[last] === b.upperBound) count[last] = (count[last] as number) + b.count;
    else {
      upper.push(b.upperBound);
      count.push(b.count);
    }
  }
  return { upper, count };
}

/** Prometheus's ensureMonotonicAndIgnoreSmallDeltas; rewrites `count` in place. */
function ensureMonotonic(upper: readonly number[], count: number[]): Omit<BucketQuantileResult, "value"> {
  let forcedMonotonicity = false;
  let fixedPrecision = false;
  let minBucket = Infinity;
  let maxBucket = -Infinity;
  let maxDiff = 0;
  let prev = count[0] as number;
  for (let i = 1; i < count.length; i++) {
    const curr = count[i] as number;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      // Float noise in either direction; the reference stays the last accepted count.
      count[i] = prev;
      fixedPrecision = true;
      continue;
    }
    if (curr < prev) {
      count[i] = prev;
      forcedMonotonicity = true;
      const bound = upper[i] as number;
      if (bound < minBucket) minBucket = bound;
      if (bound > maxBucket) maxBucket = bound;
      if (prev - curr > maxDiff) maxDiff = prev - curr;
      continue;
    }
    prev = curr;
  }
  return { forcedMonotonicity, fixedPrecision, minBucket, maxBucket, maxDiff };
}

/** Prometheus's almost.Equal: relative difference below epsilon, any two NaNs equal. */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/** Go's sort.Search: the smallest i in [0, n) for which `pred` holds, or n (binary search). */
function search(n: number, pred: (i: number) => boolean): number {
  let i = 0;
  let j = n;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!pred(h)) i = h + 1;
    else j = h;
  }
  return i;
}
