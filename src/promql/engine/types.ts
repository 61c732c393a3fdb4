import type { Labels } from "../../model/index.js";

/**
 * The evaluator's working values. An instant-vector expression evaluated over the query's steps
 * and a range-vector value are both matrices of series; a scalar has one value per step.
 */

/** One series being computed: points at step times (or sample times for a range vector). */
export interface EvalSeries {
  labels: Labels;
  ts: number[];
  vs: number[];
  /** Delayed `__name__` removal: drop the name when the query finishes. */
  dropName: boolean;
}

/** One element of an instant vector at one step. */
export interface EvalSample {
  labels: Labels;
  v: number;
  /** The sample's own time when it matters (timestamp()); otherwise the step time. */
  t: number;
  dropName: boolean;
}

export interface MatrixResult {
  readonly type: "matrix";
  readonly series: EvalSeries[];
}

export interface ScalarResult {
  readonly type: "scalar";
  /** One value per step. */
  readonly values: Float64Array;
}

export interface StringResult {
  readonly type: "string";
  readonly value: string;
}

export type Evaluated = MatrixResult | ScalarResult | StringResult;
