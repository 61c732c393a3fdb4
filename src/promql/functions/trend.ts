/**
 * Trend functions over a range: deriv and predict_linear (least-squares line, Prometheus 3's
 * `linearRegression` with compensated sums) and double_exponential_smoothing (Holt's linear
 * method, formerly holt_winters).
 */
import { PromQLEvalError } from "../errors.js";
import { formatGoF } from "./go-format.js";
import type { RangeFunction, Window } from "./types.js";

/** Slope (per second) and intercept of a least-squares line through a window. */
export interface Regression {
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Least-squares line through the window's samples, x in seconds relative to `interceptTime` (ms),
 * so that `intercept` is the line's value there. A constant series has slope 0 (NaN for both when
 * the constant is ±Inf). Needs at least one sample.
 */
export function linearRegression(w: Window, interceptTime: number): Regression {
  const n = w.length;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = w.vs[0] as number;
  let constY = true;
  for (let i = 0; i < n; i++) {
    const y = w.vs[i] as number;
    if (constY && i > 0 && y !== initY) constY = false;
    const x = ((w.ts[i] as number) - interceptTime) / 1e3;
    let t = sumX + x;
    cX = compensate(cX, sumX, x, t);
    sumX = t;
    t = sumY + y;
    cY = compensate(cY, sumY, y, t);
    sumY = t;
    const xy = x * y;
    t = sumXY + xy;
    cXY = compensate(cXY, sumXY, xy, t);
    sumXY = t;
    const x2 = x * x;
    t = sumX2 + x2;
    cX2 = compensate(cX2, sumX2, x2, t);
    sumX2 = t;
  }
  if (constY) {
    if (initY === Infinity || initY === -Infinity) return { slope: NaN, intercept: NaN };
    return { slope: 0, intercept: initY };
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return { slope, intercept };
}

/** The new Kahan compensation after `t = sum + inc` (kahansum.Inc's second result). */
function compensate(c: number, sum: number, inc: number, t: number): number {
  if (t === Infinity || t === -Infinity) return 0;
  if (Math.abs(sum) >= Math.abs(inc)) return c + (sum - t + inc);
  return c + (inc - t + sum);
}

/** deriv(): per-second slope of the least-squares line; needs two samples. */
export const deriv: RangeFunction = (w) => {
  if (w.length < 2) return undefined;
  // Relative to the first sample rather than 0 to keep x small (prometheus#2674).
  return linearRegression(w, w.ts[0] as number).slope;
};

/** predict_linear(v, t): the least-squares line's value `args[0]` seconds after the evaluation time. */
export const predictLinear: RangeFunction = (w, ctx) => {
  if (w.length < 2) return undefined;
  const { slope, intercept } = linearRegression(w, ctx.evalTime);
  return slope * (ctx.args[0] ?? NaN) + intercept;
};

/**
 * double_exponential_smoothing(v, sf, tf): the smoothed value at the last sample. Throws
 * Prometheus's error unless 0 < sf < 1 and 0 < tf < 1 (a NaN factor passes, as there); needs two
 * samples.
 */
export const doubleExponentialSmoothing: RangeFunction = (w, ctx) => {
  const n = w.length;
  if (n === 0) return undefined;
  const sf = ctx.args[0] ?? NaN;
  const tf = ctx.args[1] ?? NaN;
  if (sf <= 0 || sf >= 1) throw new PromQLEvalError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatGoF(sf, 6)}`);
  if (tf <= 0 || tf >= 1) throw new PromQLEvalError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatGoF(tf, 6)}`);
  if (n < 2) return undefined;
  return smooth(w, sf, tf);
};

function smooth(w: Window, sf: number, tf: number): number {
  let s0 = 0;
  let s1 = w.vs[0] as number;
  let b = (w.vs[1] as number) - s1;
  for (let i = 1; i < w.length; i++) {
    const x = sf * (w.vs[i] as number);
    // The first step keeps the initial trend; later ones blend the last change into it.
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}
