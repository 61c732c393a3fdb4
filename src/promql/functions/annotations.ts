/**
 * The annotation texts Prometheus 3 attaches to results of PromQL functions, word for word as
 * `util/annotations` builds them (`PromQL warning: …` / `PromQL info: …`), without the
 * ` (line:col)` position that the API appends once it knows the query.
 *
 * Metric names and label values are quoted as Go's `%q` does.
 */
import { goQuote } from "../../model/index.js";
import { formatGoG } from "./go-format.js";

const WARNING = "PromQL warning: ";
const INFO = "PromQL info: ";

/** Suffixes that make a metric name look like a counter to rate() and increase(). */
const COUNTER_SUFFIXES = ["_total", "_sum", "_count", "_bucket"] as const;

/** Whether rate()/increase() over a float series of this name earns {@link possibleNonCounterInfo}. */
export function mightNotBeCounter(metricName: string): boolean {
  if (metricName === "") return false;
  for (const suffix of COUNTER_SUFFIXES) if (metricName.endsWith(suffix)) return false;
  return true;
}

/** Info for rate()/increase() over a float series whose name lacks a counter suffix. */
export function possibleNonCounterInfo(metricName: string): string {
  return `${INFO}metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(metricName)}`;
}

/**
 * Info for rate()/increase() when type-and-unit labels are enabled and `__type__` is neither
 * `counter` nor `histogram` (replaces {@link possibleNonCounterInfo} in that mode).
 */
export function possibleNonCounterLabelInfo(metricName: string, typeLabel: string): string {
  return `${INFO}metric might not be a counter, __type__ label is not set to "counter" or "histogram", got ${goQuote(typeLabel)}: ${goQuote(metricName)}`;
}

/** Warning for a φ outside [0, 1] or NaN given to quantile, quantile_over_time or histogram_quantile(s). */
export function invalidQuantileWarning(q: number): string {
  return `${WARNING}quantile value should be between 0 and 1, got ${formatGoG(q)}`;
}

/** Warning for limit_ratio's ratio outside [-1, 1], which is capped to `cappedTo`. */
export function invalidRatioWarning(ratio: number, cappedTo: number): string {
  return `${WARNING}ratio value should be between -1 and 1, got ${formatGoG(ratio)}, capping to ${formatGoG(cappedTo)}`;
}

/** Warning for a classic-histogram series whose `le` label is missing or does not parse as a float. */
export function badBucketLabelWarning(metricName: string, le: string): string {
  return withMetricName(`${WARNING}bucket label "le" is missing or has a malformed value of ${goQuote(le)}`, metricName);
}

/** Warning when histogram_quantile/histogram_fraction sees classic and native histograms of one series. */
export function mixedClassicNativeHistogramsWarning(metricName: string): string {
  return withMetricName(`${WARNING}vector contains a mix of classic and native histograms`, metricName);
}

/** Warning when a function that cannot mix them (rate, sum_over_time, …) meets floats and histograms in one range. */
export function mixedFloatsHistogramsWarning(metricName: string): string {
  return `${WARNING}encountered a mix of histograms and floats for metric name ${goQuote(metricName)}`;
}

/** Info when a float-only range function (deriv, max_over_time, …) drops the histograms of a mixed range. */
export function histogramIgnoredInMixedRangeInfo(metricName: string): string {
  return `${INFO}ignored histograms in a range containing both floats and histograms for metric name ${goQuote(metricName)}`;
}

/** Info when an aggregation that only handles floats (`max`, `quantile`, …) skips a histogram. */
export function histogramIgnoredInAggregationInfo(aggregation: string): string {
  return `${INFO}ignored histogram in ${aggregation} aggregation`;
}

/** Warning for rate/increase/irate over a native histogram marked as a gauge. */
export function nativeHistogramNotCounterWarning(metricName: string): string {
  return `${WARNING}this native histogram metric is not a counter: ${goQuote(metricName)}`;
}

/** Warning for delta/idelta over a native histogram not marked as a gauge. */
export function nativeHistogramNotGaugeWarning(metricName: string): string {
  return `${WARNING}this native histogram metric is not a gauge: ${goQuote(metricName)}`;
}

/**
 * What Prometheus aggregates over every histogram_quantile step that had to force monotonicity
 * on one query position: the annotation is merged, not repeated.
 */
export interface ForcedMonotonicityStats {
  /** Earliest evaluation time (ms) that needed the fix. */
  readonly minTs: number;
  /** Latest evaluation time (ms) that needed the fix. */
  readonly maxTs: number;
  /** Lowest upper bound whose count was raised. */
  readonly minBucket: number;
  /** Highest upper bound whose count was raised. */
  readonly maxBucket: number;
  /** Largest count decrease that was removed. */
  readonly maxDiff: number;
  /** Number of fixed bucket sets (one per series per step). */
  readonly samples: number;
}

/** Merges the stats of two forced-monotonicity occurrences at the same position. */
export function mergeForcedMonotonicityStats(a: ForcedMonotonicityStats, b: ForcedMonotonicityStats): ForcedMonotonicityStats {
  return {
    minTs: Math.min(a.minTs, b.minTs),
    maxTs: Math.max(a.maxTs, b.maxTs),
    minBucket: Math.min(a.minBucket, b.minBucket),
    maxBucket: Math.max(a.maxBucket, b.maxBucket),
    maxDiff: Math.max(a.maxDiff, b.maxDiff),
    samples: a.samples + b.samples,
  };
}

/**
 * Info when histogram_quantile(s) had to raise classic bucket counts to make them monotonic.
 * `metricName` is the bucket series' name when delayed name removal is on, else "" (as P3).
 * With `stats` the text carries Prometheus's final summary (buckets, max diff, sample count and
 * time span in RFC 3339 seconds); without, it is the bare message Prometheus deduplicates on.
 */
export function histogramQuantileForcedMonotonicityInfo(metricName: string, stats?: ForcedMonotonicityStats): string {
  const base = withMetricName(
    `${INFO}input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)`,
    metricName,
  );
  if (stats === undefined) return base;
  return (
    `${base}, from buckets ${formatGoG(stats.minBucket)} to ${formatGoG(stats.maxBucket)}, ` +
    `with a max diff of ${formatGoG(stats.maxDiff, 2)}, over ${stats.samples} samples ` +
    `from ${rfc3339Seconds(stats.minTs)} to ${rfc3339Seconds(stats.maxTs)}`
  );
}

function withMetricName(message: string, metricName: string): string {
  return metricName === "" ? message : `${message} for metric name ${goQuote(metricName)}`;
}

/** `time.Unix(ms/1000, 0).UTC().Format(time.RFC3339)`; the division truncates toward zero as Go's. */
function rfc3339Seconds(ms: number): string {
  const iso = new Date(Math.trunc(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 19)}Z`;
}
