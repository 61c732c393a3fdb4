import type { Clock } from "../../runtime/index.js";

/** Settings of a PromQL engine, with Prometheus's defaults. */
export interface PromQLEngineOptions {
  /** How far back an instant selector looks for a sample (ms). Default 5 m. */
  readonly lookbackDelta?: number;
  /** Most samples a query may hold in memory at once. Default 50,000,000 (Prometheus's `--query.max-samples`). */
  readonly maxSamples?: number;
  /** Query timeout (ms). Default 2 m. */
  readonly timeout?: number;
  /** Step of a subquery written without one, such as `x[5m:]` (ms). Default 1 m. */
  readonly defaultEvalInterval?: number;
  /**
   * Accept Prometheus's experimental functions and aggregations (limitk, limit_ratio,
   * mad_over_time, sort_by_label, double_exponential_smoothing, ts_of_*, first_over_time …), as
   * `--enable-feature=promql-experimental-functions` does. Default true: Meridian supports them.
   */
  readonly experimentalFunctions?: boolean;
  /** Prometheus's `promql-delayed-name-removal` feature. Default false. */
  readonly delayedNameRemoval?: boolean;
  /** The clock deadlines are measured on. Default the system clock. */
  readonly clock?: Clock;
}

/** Per-query settings. */
export interface QueryOptions {
  /** Aborts the query (e.g. the HTTP client went away); it then fails with QueryCanceledError. */
  readonly signal?: AbortSignal;
  /** Overrides the engine's lookback delta for this query (ms). */
  readonly lookbackDelta?: number;
  /** Overrides the engine's timeout for this query (ms). */
  readonly timeout?: number;
}
