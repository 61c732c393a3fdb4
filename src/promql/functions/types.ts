/**
 * The contract between the evaluator and the function implementations. The evaluator selects
 * data and handles labels; functions here compute numbers. Times are ms, values float64.
 */

/**
 * The float samples of one series inside a range window, oldest first. `ts` and `vs` have at
 * least `length` entries; only the first `length` are valid (the evaluator reuses buffers).
 */
export interface Window {
  readonly ts: ArrayLike<number>;
  readonly vs: ArrayLike<number>;
  readonly length: number;
}

/** Where a range function is evaluated, and its scalar arguments at this step. */
export interface RangeContext {
  /** The evaluation time of this step (ms), before offset and `@` are applied. */
  readonly evalTime: number;
  /** The window's open left bound (ms): samples are in (rangeStart, rangeEnd]. */
  readonly rangeStart: number;
  /** The window's closed right bound (ms). */
  readonly rangeEnd: number;
  /** Scalar arguments other than the range vector, in call order (e.g. φ of quantile_over_time). */
  readonly args: readonly number[];
  /** The metric name of the series (for annotations such as "metric might not be a counter"). */
  readonly metricName: string;
  /** Records a warning annotation (text as Prometheus words it, without a position). */
  warn(message: string): void;
  /** Records an info annotation. */
  info(message: string): void;
}

/** A function over a range window; undefined means the series yields no sample at this step. */
export type RangeFunction = (window: Window, ctx: RangeContext) => number | undefined;

/** A function of one sample's value and the call's scalar arguments at this step (abs, clamp, round, hour …). */
export type ValueFunction = (value: number, args: readonly number[]) => number;
