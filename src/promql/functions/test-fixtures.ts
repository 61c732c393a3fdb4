/**
 * Test helpers: series written in the `load` notation of Prometheus's test scripts, the window a
 * range selector cuts from them, and a RangeContext that records annotations.
 */
import type { RangeContext, Window } from "./types.js";

/** A series of float samples, oldest first. */
export interface Series {
  readonly ts: readonly number[];
  readonly vs: readonly number[];
}

/**
 * Expands a `load` line's values (`0+10x10`, `1 NaN _ 5`, `8000-10x3`, `7x2`, `_x3`) into samples
 * `intervalMs` apart from t=0, as promqltest does: `a+bxN` is N+1 values, `_` skips a step.
 */
export function load(intervalMs: number, notation: string): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  let step = 0;
  for (const token of notation.trim().split(/\s+/)) {
    let body = token;
    let count = 1;
    const x = token.lastIndexOf("x");
    if (x > 0 && /^\d+$/.test(token.slice(x + 1))) {
      count = Number(token.slice(x + 1)) + 1;
      body = token.slice(0, x);
    }
    if (body === "_") {
      step += count;
      continue;
    }
    let start = parseValue(body);
    let delta = 0;
    // `a+b` / `a-b`: the operator is a sign that is neither leading nor an exponent's.
    for (let i = 1; i < body.length; i++) {
      const c = body[i];
      if ((c === "+" || c === "-") && !/[eE]/.test(body[i - 1] as string)) {
        start = parseValue(body.slice(0, i));
        delta = (c === "-" ? -1 : 1) * parseValue(body.slice(i + 1));
        break;
      }
    }
    // Each value is the previous one plus the increment, as promqltest adds them up.
    let value = start;
    for (let i = 0; i < count; i++) {
      ts.push(step * intervalMs);
      vs.push(value);
      value += delta;
      step++;
    }
  }
  return { ts, vs };
}

function parseValue(s: string): number {
  if (s === "Inf" || s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  return Number(s);
}

/** The samples of `series` in (rangeEnd - rangeMs, rangeEnd], as a Window. */
export function windowOf(series: Series, rangeEnd: number, rangeMs: number): Window {
  const ts: number[] = [];
  const vs: number[] = [];
  series.ts.forEach((t, i) => {
    if (t > rangeEnd - rangeMs && t <= rangeEnd) {
      ts.push(t);
      vs.push(series.vs[i] as number);
    }
  });
  return { ts, vs, length: ts.length };
}

/** A window straight from timestamps and values. */
export function windowFrom(ts: readonly number[], vs: readonly number[]): Window {
  return { ts, vs, length: ts.length };
}

/** A RangeContext that keeps the annotations it is given. */
export interface RecordingContext extends RangeContext {
  readonly warnings: string[];
  readonly infos: string[];
}

/** A context for a selector `[rangeMs]` evaluated at `evalTime` (minus `offsetMs`). */
export function rangeContext(
  evalTime: number,
  rangeMs: number,
  options: { args?: readonly number[]; metricName?: string; offsetMs?: number } = {},
): RecordingContext {
  const warnings: string[] = [];
  const infos: string[] = [];
  const rangeEnd = evalTime - (options.offsetMs ?? 0);
  return {
    evalTime,
    rangeStart: rangeEnd - rangeMs,
    rangeEnd,
    args: options.args ?? [],
    metricName: options.metricName ?? "",
    warnings,
    infos,
    warn: (m) => warnings.push(m),
    info: (m) => infos.push(m),
  };
}

/** Prometheus's test-script float comparison: equal, both NaN, or relative difference below 1e-6. */
export function almostEqual(actual: number, expected: number, epsilon = 1e-6): boolean {
  if (Number.isNaN(actual) && Number.isNaN(expected)) return true;
  if (actual === expected) return true;
  const absSum = Math.abs(actual) + Math.abs(expected);
  const diff = Math.abs(actual - expected);
  const minNormal = 2.2250738585072014e-308;
  if (actual === 0 || expected === 0 || absSum < minNormal) return diff < epsilon * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
