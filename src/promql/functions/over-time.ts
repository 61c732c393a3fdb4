/**
 * The `<aggregation>_over_time` family, `ts_of_*_over_time`, changes and resets: each reduces the
 * float samples of one window to one number, as Prometheus 3 does. Every function here returns
 * undefined for an empty window.
 */
import { invalidQuantileWarning } from "./annotations.js";
import { KahanMean, KahanSum } from "./kahan.js";
import { quantileSorted, sortNaNFirst } from "./quantile.js";
import type { RangeFunction, Window } from "./types.js";

/** avg_over_time(): compensated mean, switching to an incremental mean where the sum would overflow. */
export const avgOverTime: RangeFunction = (w) => {
  const n = w.length;
  if (n === 0) return undefined;
  const mean = new KahanMean();
  for (let i = 0; i < n; i++) mean.add(w.vs[i] as number);
  return mean.value();
};

/** sum_over_time(): compensated sum. */
export const sumOverTime: RangeFunction = (w) => {
  const n = w.length;
  if (n === 0) return undefined;
  const sum = new KahanSum();
  for (let i = 0; i < n; i++) sum.add(w.vs[i] as number);
  return sum.value();
};

/** count_over_time(): number of samples. */
export const countOverTime: RangeFunction = (w) => (w.length === 0 ? undefined : w.length);

/** present_over_time(): 1 for any sample. */
export const presentOverTime: RangeFunction = (w) => (w.length === 0 ? undefined : 1);

/** last_over_time(): the newest value. */
export const lastOverTime: RangeFunction = (w) => (w.length === 0 ? undefined : (w.vs[w.length - 1] as number));

/** first_over_time(): the oldest value. */
export const firstOverTime: RangeFunction = (w) => (w.length === 0 ? undefined : (w.vs[0] as number));

/**
 * ts_of_last_over_time(): the newest sample's timestamp in seconds. Prometheus takes the larger of
 * the newest float and newest histogram timestamp with 0 standing for "no histogram", so a
 * negative timestamp comes out as 0; kept.
 */
export const tsOfLastOverTime: RangeFunction = (w) => (w.length === 0 ? undefined : Math.max(w.ts[w.length - 1] as number, 0) / 1000);

/** ts_of_first_over_time(): the oldest sample's timestamp in seconds. */
export const tsOfFirstOverTime: RangeFunction = (w) => (w.length === 0 ? undefined : (w.ts[0] as number) / 1000);

/** max_over_time(): largest value; NaN only if every value is NaN. */
export const maxOverTime: RangeFunction = (w) => extreme(w, MAX, false);

/** min_over_time(): smallest value; NaN only if every value is NaN. */
export const minOverTime: RangeFunction = (w) => extreme(w, MIN, false);

/** ts_of_max_over_time(): timestamp (s) of the last occurrence of the largest value. */
export const tsOfMaxOverTime: RangeFunction = (w) => extreme(w, MAX_OR_EQUAL, true);

/** ts_of_min_over_time(): timestamp (s) of the last occurrence of the smallest value. */
export const tsOfMinOverTime: RangeFunction = (w) => extreme(w, MIN_OR_EQUAL, true);

const MAX = 0;
const MIN = 1;
const MAX_OR_EQUAL = 2;
const MIN_OR_EQUAL = 3;

function extreme(w: Window, mode: number, timestamp: boolean): number | undefined {
  const n = w.length;
  if (n === 0) return undefined;
  let best = w.vs[0] as number;
  let bestT = w.ts[0] as number;
  for (let i = 0; i < n; i++) {
    const v = w.vs[i] as number;
    let take: boolean;
    switch (mode) {
      case MAX:
        take = v > best;
        break;
      case MIN:
        take = v < best;
        break;
      case MAX_OR_EQUAL:
        take = v >= best;
        break;
      default:
        take = v <= best;
    }
    // A NaN so far is replaced by whatever comes next.
    if (take || Number.isNaN(best)) {
      best = v;
      bestT = w.ts[i] as number;
    }
  }
  return timestamp ? bestT / 1000 : best;
}

/** stdvar_over_time(): population variance (compensated Welford). */
export const stdvarOverTime: RangeFunction = (w) => variance(w);

/** stddev_over_time(): population standard deviation (compensated Welford). */
export const stddevOverTime: RangeFunction = (w) => {
  const v = variance(w);
  return v === undefined ? undefined : Math.sqrt(v);
};

function variance(w: Window): number | undefined {
  const n = w.length;
  if (n === 0) return undefined;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = 0; i < n; i++) {
    const x = w.vs[i] as number;
    const count = i + 1;
    const delta = x - (mean + cMean);
    const inc = delta / count;
    let t = mean + inc;
    cMean = compensate(cMean, mean, inc, t);
    mean = t;
    const inc2 = delta * (x - (mean + cMean));
    t = aux + inc2;
    cAux = compensate(cAux, aux, inc2, t);
    aux = t;
  }
  return (aux + cAux) / n;
}

/** The new Kahan compensation after `t = sum + inc` (kahansum.Inc's second result). */
function compensate(c: number, sum: number, inc: number, t: number): number {
  if (t === Infinity || t === -Infinity) return 0;
  if (Math.abs(sum) >= Math.abs(inc)) return c + (sum - t + inc);
  return c + (inc - t + sum);
}

/**
 * quantile_over_time(φ, v): φ = `args[0]`. φ outside [0, 1] gives ∓Inf, NaN gives NaN, each with
 * Prometheus's warning.
 */
export const quantileOverTime: RangeFunction = (w, ctx) => {
  const n = w.length;
  if (n === 0) return undefined;
  const q = ctx.args[0] ?? NaN;
  if (Number.isNaN(q) || q < 0 || q > 1) {
    ctx.warn(invalidQuantileWarning(q));
    return Number.isNaN(q) ? NaN : q < 0 ? -Infinity : Infinity;
  }
  return quantileSorted(q, sortNaNFirst(w.vs, n));
};

/** mad_over_time(): median absolute deviation from the median; NaN if any value is NaN. */
export const madOverTime: RangeFunction = (w) => {
  const n = w.length;
  if (n === 0) return undefined;
  for (let i = 0; i < n; i++) if (Number.isNaN(w.vs[i] as number)) return NaN;
  const values = sortNaNFirst(w.vs, n);
  const median = quantileSorted(0.5, values);
  for (let i = 0; i < n; i++) values[i] = Math.abs((values[i] as number) - median);
  values.sort();
  return quantileSorted(0.5, values);
};

/** changes(): how often the value changed between neighbouring samples (NaN to NaN is no change). */
export const changes: RangeFunction = (w) => {
  const n = w.length;
  if (n === 0) return undefined;
  let count = 0;
  let prev = w.vs[0] as number;
  for (let i = 1; i < n; i++) {
    const curr = w.vs[i] as number;
    if (curr !== prev && !(Number.isNaN(curr) && Number.isNaN(prev))) count++;
    prev = curr;
  }
  return count;
};

/** resets(): how often the value decreased between neighbouring samples. */
export const resets: RangeFunction = (w) => {
  const n = w.length;
  if (n === 0) return undefined;
  let count = 0;
  let prev = w.vs[0] as number;
  for (let i = 1; i < n; i++) {
    const curr = w.vs[i] as number;
    if (curr < prev) count++;
    prev = curr;
  }
  return count;
};
