/**
 * Query results as Prometheus's JSON codec writes them, byte for byte. Samples of vectors and
 * matrices are `[<seconds>, "<value>"]` with the seconds written from integer milliseconds
 * (`1.500`, not `1.5`) and the value in Go's shortest form, switching to exponent notation below
 * 1e-6 and from 1e21. Scalars and strings go through Go's encoding/json instead: seconds as a
 * float (`1.5`) and the value always in plain decimal notation.
 */
import type { QueryStats, QueryValue } from "../promql/index.js";
import { goJson, labelsJson } from "./response.js";

/** The `result` member for a value, as JSON text. */
export function resultJson(value: QueryValue): string {
  switch (value.type) {
    case "scalar":
      return `[${goJson(value.t / 1000)},"${formatFixed(value.v)}"]`;
    case "string":
      return `[${goJson(value.t / 1000)},${goJson(value.v)}]`;
    case "vector": {
      const parts = value.samples.map((s) => `{"metric":${labelsJson(s.labels)},"value":${point(s.t, s.v)}}`);
      return `[${parts.join(",")}]`;
    }
    case "matrix": {
      const parts = value.series.map((s) => {
        const points: string[] = [];
        for (let i = 0; i < s.ts.length; i++) points.push(point(s.ts[i] as number, s.vs[i] as number));
        return `{"metric":${labelsJson(s.labels)},"values":[${points.join(",")}]}`;
      });
      return `[${parts.join(",")}]`;
    }
  }
}

/** `stats` of a query answer, in Prometheus's key order (timings in seconds). */
export function statsJson(stats: QueryStats): string {
  const t = stats.timings;
  return goJson({
    timings: {
      evalTotalTime: t.evalTotalTime,
      resultSortTime: t.resultSortTime,
      queryPreparationTime: t.queryPreparationTime,
      innerEvalTime: t.innerEvalTime,
      execQueueTime: t.execQueueTime,
      execTotalTime: t.execTotalTime,
    },
    samples: { totalQueryableSamples: stats.samples.totalQueryableSamples, peakSamples: stats.samples.peakSamples },
  });
}

function point(t: number, v: number): string {
  return `[${formatSampleTime(t)},"${formatSampleValue(v)}"]`;
}

/**
 * Milliseconds as Prometheus's `MarshalTimestamp` writes them: whole seconds, then the
 * milliseconds as three digits when there are any (`-1.500`, `2`, `0.007`).
 */
export function formatSampleTime(ms: number): string {
  const neg = ms < 0;
  const abs = Math.abs(ms);
  const whole = Math.trunc(abs / 1000);
  const frac = abs - whole * 1000;
  const text = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, "0")}`;
  return neg ? `-${text}` : text;
}

/**
 * A sample value as Prometheus's `MarshalFloat`: Go's shortest round-tripping digits in `%f` form,
 * or `%e` form (two-digit exponent at least) below 1e-6 and from 1e21; NaN, +Inf, -Inf and -0
 * spelled as Go spells them. JavaScript's own number-to-string switches form at the same bounds.
 */
export function formatSampleValue(v: number): string {
  const special = specialFloat(v);
  if (special !== undefined) return special;
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const digits = s.slice(e + 2);
  return `${s.slice(0, e + 2)}${digits.length < 2 ? `0${digits}` : digits}`;
}

/** A value as Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent. */
export function formatFixed(v: number): string {
  const special = specialFloat(v);
  if (special !== undefined) return special;
  const s = String(v);
  const e = s.indexOf("e");
  if (e < 0) return s;
  const sign = s.startsWith("-") ? "-" : "";
  const mantissa = s.slice(sign.length, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const point = (dot < 0 ? mantissa.length : dot) + exp;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function specialFloat(v: number): string | undefined {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Object.is(v, -0)) return "-0";
  return undefined;
}
