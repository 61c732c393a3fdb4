import type { ValueType } from "../ast.js";

/**
 * PromQL's function table, with the facts of Prometheus 3's `promql/parser/functions.go`: what a
 * call may be given and what it returns. The parser checks calls against it; evaluation lives
 * elsewhere.
 */

/** The signature of one PromQL function. */
export interface FunctionSignature {
  readonly name: string;
  /** Types of the arguments in order; with `variadic` ≠ 0 the last one may repeat or be left out. */
  readonly argTypes: readonly ValueType[];
  /**
   * 0: exactly `argTypes.length` arguments. n > 0: the last argument type may appear from 0 up to
   * n times (so `argTypes.length - 1` to `argTypes.length - 1 + n` arguments). -1: the last
   * argument type may appear any number of times (at least `argTypes.length - 1` arguments).
   */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Only accepted when experimental functions are enabled (Prometheus's `promql-experimental-functions`). */
  readonly experimental: boolean;
}

type Row = readonly [name: string, argTypes: readonly ValueType[], returnType: ValueType, variadic?: number, experimental?: boolean];

const V: ValueType = "vector";
const M: ValueType = "matrix";
const S: ValueType = "scalar";
const STR: ValueType = "string";
const EXP = true;

const ROWS: readonly Row[] = [
  ["abs", [V], V],
  ["absent", [V], V],
  ["absent_over_time", [M], V],
  ["acos", [V], V],
  ["acosh", [V], V],
  ["asin", [V], V],
  ["asinh", [V], V],
  ["atan", [V], V],
  ["atanh", [V], V],
  ["avg_over_time", [M], V],
  ["ceil", [V], V],
  ["changes", [M], V],
  ["clamp", [V, S, S], V],
  ["clamp_max", [V, S], V],
  ["clamp_min", [V, S], V],
  ["cos", [V], V],
  ["cosh", [V], V],
  ["count_over_time", [M], V],
  ["days_in_month", [V], V, 1],
  ["day_of_month", [V], V, 1],
  ["day_of_week", [V], V, 1],
  ["day_of_year", [V], V, 1],
  ["deg", [V], V],
  ["delta", [M], V],
  ["deriv", [M], V],
  ["double_exponential_smoothing", [M, S, S], V, 0, EXP],
  ["end", [], S, 0, EXP],
  ["exp", [V], V],
  ["first_over_time", [M], V, 0, EXP],
  ["floor", [V], V],
  ["histogram_avg", [V], V],
  ["histogram_count", [V], V],
  ["histogram_fraction", [S, S, V], V],
  ["histogram_quantile", [S, V], V],
  ["histogram_quantiles", [V, STR, S, S], V, 9, EXP],
  ["histogram_stddev", [V], V],
  ["histogram_stdvar", [V], V],
  ["histogram_sum", [V], V],
  ["hour", [V], V, 1],
  ["idelta", [M], V],
  ["increase", [M], V],
  ["info", [V, V], V, 1, EXP],
  ["irate", [M], V],
  ["label_join", [V, STR, STR, STR], V, -1],
  ["label_replace", [V, STR, STR, STR, STR], V],
  ["last_over_time", [M], V],
  ["ln", [V], V],
  ["log10", [V], V],
  ["log2", [V], V],
  ["mad_over_time", [M], V, 0, EXP],
  ["max_over_time", [M], V],
  ["min_over_time", [M], V],
  ["max_of", [S, S], S, 0, EXP],
  ["min_of", [S, S], S, 0, EXP],
  ["minute", [V], V, 1],
  ["month", [V], V, 1],
  ["pi", [], S],
  ["predict_linear", [M, S], V],
  ["present_over_time", [M], V],
  ["quantile_over_time", [S, M], V],
  ["rad", [V], V],
  ["range", [], S, 0, EXP],
  ["rate", [M], V],
  ["resets", [M], V],
  ["round", [V, S], V, 1],
  ["scalar", [V], S],
  ["sgn", [V], V],
  ["sin", [V], V],
  ["sinh", [V], V],
  ["sort", [V], V],
  ["sort_by_label", [V, STR], V, -1, EXP],
  ["sort_by_label_desc", [V, STR], V, -1, EXP],
  ["sort_desc", [V], V],
  ["sqrt", [V], V],
  ["start", [], S, 0, EXP],
  ["start_timestamp", [V], V, 0, EXP],
  ["stddev_over_time", [M], V],
  ["stdvar_over_time", [M], V],
  ["step", [], S, 0, EXP],
  ["sum_over_time", [M], V],
  ["tan", [V], V],
  ["tanh", [V], V],
  ["time", [], S],
  ["timestamp", [V], V],
  ["ts_of_first_over_time", [M], V, 0, EXP],
  ["ts_of_last_over_time", [M], V, 0, EXP],
  ["ts_of_max_over_time", [M], V, 0, EXP],
  ["ts_of_min_over_time", [M], V, 0, EXP],
  ["vector", [S], V],
  ["year", [V], V, 1],
];

/** Every PromQL function by name, including experimental and native-histogram ones. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(
  ROWS.map(([name, argTypes, returnType, variadic = 0, experimental = false]) => [
    name,
    Object.freeze({ name, argTypes: Object.freeze([...argTypes]), variadic, returnType, experimental }),
  ]),
);

/**
 * The return type of the named function, for `typeOf` in `../ast.js`. Throws for a name that is
 * not in FUNCTIONS, which cannot happen for a `Call` the parser produced.
 */
export function returnTypeOf(func: string): ValueType {
  const signature = FUNCTIONS.get(func);
  if (signature === undefined) throw new Error(`unknown function ${JSON.stringify(func)}`);
  return signature.returnType;
}
