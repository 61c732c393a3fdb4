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
  /** Prometheus's `promql-delayed-name-removal` feature. Default false. */
  readonly delayedNameRemoval?: boolean;
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
