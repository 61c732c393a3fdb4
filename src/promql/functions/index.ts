/**
 * The numbers behind PromQL's functions, as Prometheus 3 computes them. The evaluator selects the
 * data, handles labels, `__name__` dropping, vector-level functions (absent, scalar, sort, …) and
 * native histograms; these functions see float samples only.
 *
 * What the evaluator must still do around them, as Prometheus does:
 * - Ranges mixing floats and histograms: rate, increase, delta, avg_over_time and sum_over_time
 *   output nothing and warn ({@link mixedFloatsHistogramsWarning}); irate and idelta do so only
 *   when the last two samples mix. deriv, predict_linear, double_exponential_smoothing,
 *   min/max/stddev/stdvar/quantile/mad_over_time and ts_of_min/max_over_time use the floats (deriv,
 *   predict_linear and double_exponential_smoothing need two) and add
 *   {@link histogramIgnoredInMixedRangeInfo}. count, present, first, last and
 *   ts_of_first/last_over_time, changes and resets take histograms into account themselves.
 * - clamp with max < min outputs no series at all.
 * - The `quantile` aggregation and histogram_quantile(s): {@link invalidQuantileWarning} for a φ
 *   outside [0, 1]; {@link histogramQuantileForcedMonotonicityInfo} when {@link bucketQuantile}
 *   forced monotonicity (merged per query position with {@link mergeForcedMonotonicityStats}; the
 *   metric name only with delayed name removal); {@link badBucketLabelWarning} and
 *   {@link mixedClassicNativeHistogramsWarning} while grouping buckets.
 * - sort_by_label(_desc): sort with {@link goSortFunc} and {@link sortByLabelCompare}; the
 *   comparator is not a total order (an absent label is "greater" both ways), so only Go's
 *   algorithm over Prometheus's input order gives Prometheus's result.
 * - Annotations are sets: the same text reported at many steps or series is one annotation.
 *
 * rate() and increase() report {@link possibleNonCounterInfo} themselves through the context
 * (for a non-empty metric name without a counter suffix, whenever they produce a value);
 * quantile_over_time reports its φ warning the same way. double_exponential_smoothing throws
 * PromQLEvalError for factors outside (0, 1), label_replace and label_join for bad names or regexes.
 */
import type { RangeFunction, ValueFunction } from "./types.js";
import { DATE_FUNCTIONS } from "./date.js";
import { MATH_FUNCTIONS } from "./math.js";
import {
  avgOverTime,
  changes,
  countOverTime,
  firstOverTime,
  lastOverTime,
  madOverTime,
  maxOverTime,
  minOverTime,
  presentOverTime,
  quantileOverTime,
  resets,
  stddevOverTime,
  stdvarOverTime,
  sumOverTime,
  tsOfFirstOverTime,
  tsOfLastOverTime,
  tsOfMaxOverTime,
  tsOfMinOverTime,
} from "./over-time.js";
import { delta, idelta, increase, irate, rate } from "./rate.js";
import { deriv, doubleExponentialSmoothing, predictLinear } from "./trend.js";

export type { RangeContext, RangeFunction, ValueFunction, Window } from "./types.js";
export { quantile, bucketQuantile, bucketFraction } from "./quantile.js";
export type { Bucket, BucketQuantileResult } from "./quantile.js";
export { kahanSumInc, KahanSum, KahanMean, WelfordVariance } from "./kahan.js";
export { linearRegression } from "./trend.js";
export type { Regression } from "./trend.js";
export { compileLabelReplace, labelReplace, labelJoin, sortByLabelCompare, naturalLess } from "./labels.js";
export { goSortFunc } from "./go-sort.js";
export type { LabelReplacer } from "./labels.js";
export {
  mightNotBeCounter,
  possibleNonCounterInfo,
  possibleNonCounterLabelInfo,
  invalidQuantileWarning,
  invalidRatioWarning,
  badBucketLabelWarning,
  mixedClassicNativeHistogramsWarning,
  mixedFloatsHistogramsWarning,
  histogramIgnoredInMixedRangeInfo,
  histogramIgnoredInAggregationInfo,
  nativeHistogramNotCounterWarning,
  nativeHistogramNotGaugeWarning,
  histogramQuantileForcedMonotonicityInfo,
  mergeForcedMonotonicityStats,
} from "./annotations.js";
export type { ForcedMonotonicityStats } from "./annotations.js";
export { formatGoG, formatGoF } from "./go-format.js";

/** The functions of a range vector (`f(v[5m])`, plus scalar arguments) by PromQL name. */
export const RANGE_FUNCTIONS: ReadonlyMap<string, RangeFunction> = new Map<string, RangeFunction>([
  ["rate", rate],
  ["increase", increase],
  ["delta", delta],
  ["irate", irate],
  ["idelta", idelta],
  ["deriv", deriv],
  ["predict_linear", predictLinear],
  ["double_exponential_smoothing", doubleExponentialSmoothing],
  ["changes", changes],
  ["resets", resets],
  ["avg_over_time", avgOverTime],
  ["min_over_time", minOverTime],
  ["max_over_time", maxOverTime],
  ["sum_over_time", sumOverTime],
  ["count_over_time", countOverTime],
  ["stddev_over_time", stddevOverTime],
  ["stdvar_over_time", stdvarOverTime],
  ["last_over_time", lastOverTime],
  ["first_over_time", firstOverTime],
  ["present_over_time", presentOverTime],
  ["quantile_over_time", quantileOverTime],
  ["mad_over_time", madOverTime],
  ["ts_of_min_over_time", tsOfMinOverTime],
  ["ts_of_max_over_time", tsOfMaxOverTime],
  ["ts_of_first_over_time", tsOfFirstOverTime],
  ["ts_of_last_over_time", tsOfLastOverTime],
]);

/** The per-sample functions of an instant vector (math, rounding, clamping, dates) by PromQL name. */
export const VALUE_FUNCTIONS: ReadonlyMap<string, ValueFunction> = new Map<string, ValueFunction>([
  ...MATH_FUNCTIONS,
  ...DATE_FUNCTIONS,
]);
