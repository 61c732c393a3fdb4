/**
 * rate, increase, delta (extrapolated to the range bounds) and irate, idelta (last two samples),
 * over float samples, as Prometheus 3's `extrapolatedRate` and `instantValue`. The `anchored` and
 * `smoothed` selector modifiers and OTel start timestamps are not modelled.
 */
import { mightNotBeCounter, possibleNonCounterInfo } from "./annotations.js";
import type { RangeContext, RangeFunction, Window } from "./types.js";

/** rate(): per-second increase over the range, counter resets corrected, extrapolated to its bounds. */
export const rate: RangeFunction = (w, ctx) => counterResult(extrapolatedRate(w, ctx, true, true), ctx);

/** increase(): increase over the range, counter resets corrected, extrapolated to its bounds. */
export const increase: RangeFunction = (w, ctx) => counterResult(extrapolatedRate(w, ctx, true, false), ctx);

/** delta(): difference between last and first sample, extrapolated to the range bounds. */
export const delta: RangeFunction = (w, ctx) => extrapolatedRate(w, ctx, false, false);

/** irate(): per-second rate between the last two samples; after a reset, the last value over the gap. */
export const irate: RangeFunction = (w) => instantValue(w, true);

/** idelta(): difference between the last two samples. */
export const idelta: RangeFunction = (w) => instantValue(w, false);

/** Prometheus's evaluator annotates rate/increase results of series without a counter-like name. */
function counterResult(result: number | undefined, ctx: RangeContext): number | undefined {
  if (result !== undefined && mightNotBeCounter(ctx.metricName)) ctx.info(possibleNonCounterInfo(ctx.metricName));
  return result;
}

function extrapolatedRate(w: Window, ctx: RangeContext, isCounter: boolean, isRate: boolean): number | undefined {
  const n = w.length;
  if (n < 2) return undefined;
  const ts = w.ts;
  const vs = w.vs;
  const firstT = ts[0] as number;
  const lastT = ts[n - 1] as number;
  const first = vs[0] as number;
  let result = (vs[n - 1] as number) - first;
  if (isCounter) {
    let prev = first;
    for (let i = 1; i < n; i++) {
      const curr = vs[i] as number;
      if (curr < prev) result += prev;
      prev = curr;
    }
  }

  let durationToStart = (firstT - ctx.rangeStart) / 1000;
  let durationToEnd = (ctx.rangeEnd - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);

  // A sample within 110% of the average spacing from a bound means the series covers the range
  // up to that bound; otherwise it is taken to start or end half a spacing beyond its samples.
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  if (isCounter) {
    // A counter cannot go below zero: extrapolate at most back to where it would have been 0.
    let durationToZero = durationToStart;
    if (result > 0 && first >= 0) durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;

  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= rangeSeconds(ctx.rangeEnd - ctx.rangeStart);
  return result * factor;
}

/** Go's time.Duration.Seconds() of a whole number of milliseconds: whole seconds plus the rest. */
function rangeSeconds(ms: number): number {
  const sec = Math.trunc(ms / 1000);
  const nsec = (ms - sec * 1000) * 1e6;
  return sec + nsec / 1e9;
}

function instantValue(w: Window, isRate: boolean): number | undefined {
  const n = w.length;
  if (n < 2) return undefined;
  const prevT = w.ts[n - 2] as number;
  const lastT = w.ts[n - 1] as number;
  const prev = w.vs[n - 2] as number;
  const last = w.vs[n - 1] as number;
  const sampledInterval = lastT - prevT;
  if (sampledInterval === 0) return undefined;
  // After a counter reset the value since the reset is the last sample itself; NaNs subtract.
  let result = last;
  if (!isRate || !(last < prev)) result = last - prev;
  if (isRate) result /= sampledInterval / 1000;
  return result;
}
