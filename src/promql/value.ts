import type { Labels } from "../model/index.js";

/**
 * Query results, as Prometheus's `promql.Value`: a scalar, a string, an instant vector or a
 * range vector (matrix). Times are ms; values float64.
 */

export interface ScalarValue {
  readonly type: "scalar";
  readonly t: number;
  readonly v: number;
}

export interface StringValue {
  readonly type: "string";
  readonly t: number;
  readonly v: string;
}

/** One sample of an instant vector. */
export interface Sample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

export interface VectorValue {
  readonly type: "vector";
  readonly samples: readonly Sample[];
}

/** One series of a range vector: parallel arrays of times and values, times increasing. */
export interface SeriesPoints {
  readonly labels: Labels;
  readonly ts: readonly number[];
  readonly vs: readonly number[];
}

export interface MatrixValue {
  readonly type: "matrix";
  /** Sorted by labels. */
  readonly series: readonly SeriesPoints[];
}

export type QueryValue = ScalarValue | StringValue | VectorValue | MatrixValue;

/** `stats=all` figures, in Prometheus's shape. */
export interface QueryStats {
  readonly timings: {
    readonly evalTotalTime: number;
    readonly resultSortTime: number;
    readonly queryPreparationTime: number;
    readonly innerEvalTime: number;
    readonly execQueueTime: number;
    readonly execTotalTime: number;
  };
  readonly samples: {
    readonly totalQueryableSamples: number;
    readonly peakSamples: number;
  };
}

/** What a query returns: its value plus annotations (Prometheus's warnings and infos). */
export interface QueryResult {
  readonly value: QueryValue;
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
  readonly stats: QueryStats;
}
