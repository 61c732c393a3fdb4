/**
 * Per-sample math functions (abs, round, clamp, trigonometry, …). Each takes the sample value and
 * the call's scalar arguments and returns the new value, with Go's `math` semantics for NaN, ±Inf
 * and ±0 (JavaScript's Math agrees on those; results may differ from Go's in the last bit only for
 * the transcendental functions).
 */
import type { ValueFunction } from "./types.js";

/** sgn(): -1, 1, or the value itself for ±0 and NaN. */
export const sgn: ValueFunction = (v) => (v < 0 ? -1 : v > 0 ? 1 : v);

/**
 * round(v, to_nearest=1): to the nearest multiple of `args[0]`, ties upward, computed as
 * Prometheus does through the inverse: `floor(v * (1/n) + 0.5) / (1/n)`.
 */
export const round: ValueFunction = (v, args) => {
  const toNearestInverse = 1 / (args[0] ?? 1);
  return Math.floor(v * toNearestInverse + 0.5) / toNearestInverse;
};

/**
 * clamp(v, min, max). When max < min Prometheus outputs nothing at all; that is the evaluator's
 * check (this would return max(min, min(max, v))).
 */
export const clamp: ValueFunction = (v, args) => goMax(args[0] ?? NaN, goMin(args[1] ?? NaN, v));

/** clamp_min(v, min). */
export const clampMin: ValueFunction = (v, args) => goMax(args[0] ?? NaN, goMin(Infinity, v));

/** clamp_max(v, max). */
export const clampMax: ValueFunction = (v, args) => goMax(-Infinity, goMin(args[0] ?? NaN, v));

/** Go's math.Max: +Inf wins even over NaN, then NaN wins, then the larger (+0 over -0). */
function goMax(x: number, y: number): number {
  if (x === Infinity || y === Infinity) return Infinity;
  return Math.max(x, y);
}

/** Go's math.Min: -Inf wins even over NaN, then NaN wins, then the smaller (-0 under +0). */
function goMin(x: number, y: number): number {
  if (x === -Infinity || y === -Infinity) return -Infinity;
  return Math.min(x, y);
}

/**
 * Go's math.Log as built for amd64 (assembly) splits the float into fraction and exponent without
 * normalising subnormals: x = m·2^-1074 is read as (1 + m·2^-52)·2^-1023.
 */
function goLog(x: number): number {
  if (x > 0 && x < MIN_NORMAL) return Math.log(1 + x * 2 ** 1022) - 1023 * Math.LN2;
  return Math.log(x);
}

const MIN_NORMAL = 2.2250738585072014e-308;

/** 2^e for e in [-1074, 1023]: a constant table, as V8's Math.pow is slow for a variable exponent. */
const POW2 = Float64Array.from({ length: 2098 }, (_, i) => 2 ** (i - 1074));

function pow2(e: number): number {
  return POW2[e + 1074] as number;
}

/** log2(): exact for powers of two, otherwise ln(frac) × log2(e) + exp as Go's math.Log2. */
export const log2: ValueFunction = (v) => {
  if (!(v > 0) || v === Infinity) return Math.log(v);
  // Go's Frexp: v = frac × 2^exp with frac in [0.5, 1); Math.log2 may round across a power of two.
  let exp = Math.floor(Math.log2(v)) + 1;
  let frac = exp > 0 ? v * pow2(-exp) : v / pow2(exp);
  if (frac >= 1) {
    frac /= 2;
    exp++;
  } else if (frac < 0.5) {
    frac *= 2;
    exp--;
  }
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * Math.LOG2E + exp;
};

/** log10(): ln(v) × log10(e), as Go's math.Log10. */
export const log10: ValueFunction = (v) => goLog(v) * Math.LOG10E;

/** deg(): radians to degrees, `v * π / 180` in that order. */
export const deg: ValueFunction = (v) => (v * 180) / Math.PI;

/** rad(): degrees to radians, `v * π / 180` in that order. */
export const rad: ValueFunction = (v) => (v * Math.PI) / 180;

/** The per-sample math functions by PromQL name. */
export const MATH_FUNCTIONS: ReadonlyMap<string, ValueFunction> = new Map<string, ValueFunction>([
  ["abs", (v) => Math.abs(v)],
  ["ceil", (v) => Math.ceil(v)],
  ["floor", (v) => Math.floor(v)],
  ["exp", (v) => Math.exp(v)],
  ["sqrt", (v) => Math.sqrt(v)],
  ["ln", goLog],
  ["log2", log2],
  ["log10", log10],
  ["sgn", sgn],
  ["round", round],
  ["clamp", clamp],
  ["clamp_min", clampMin],
  ["clamp_max", clampMax],
  ["sin", (v) => Math.sin(v)],
  ["cos", (v) => Math.cos(v)],
  ["tan", (v) => Math.tan(v)],
  ["asin", (v) => Math.asin(v)],
  ["acos", (v) => Math.acos(v)],
  ["atan", (v) => Math.atan(v)],
  ["sinh", (v) => Math.sinh(v)],
  ["cosh", (v) => Math.cosh(v)],
  ["tanh", (v) => Math.tanh(v)],
  ["asinh", (v) => Math.asinh(v)],
  ["acosh", (v) => Math.acosh(v)],
  ["atanh", (v) => Math.atanh(v)],
  ["deg", deg],
  ["rad", rad],
]);
