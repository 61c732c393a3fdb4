/**
 * Parameter parsing shared by the API v1 handlers, with Prometheus's rules and error wording:
 * form values from the URL and a urlencoded body, times, limits.
 */
import { goQuote } from "../model/index.js";
import { ApiError, invalidParamError } from "./errors.js";

/**
 * Prometheus's default `start` (its MinTime, 292 billion years BC) in ms. Beyond 2^53 ms, so the
 * number is approximate; it is only ever compared with real timestamps, never stored.
 */
export const MIN_TIME_MS = -9223309901257974000;
/** Prometheus's default `end` (its MaxTime, 9223309901257974999 ms) as the nearest float64; approximate as MIN_TIME_MS is. */
export const MAX_TIME_MS = 9223309901257975000;

/** The request's form: body values first, then URL values, as Go's `Request.Form`. */
export class FormValues {
  readonly #params: URLSearchParams[];

  /** Builds the form from a urlencoded body (or none) and a raw query string. */
  constructor(body: string | undefined, query: string) {
    this.#params = [new URLSearchParams(body ?? ""), new URLSearchParams(query)];
  }

  /** The first value of `name`, or "" when absent (Go's `FormValue`). */
  get(name: string): string {
    for (const p of this.#params) {
      const v = p.get(name);
      if (v !== null) return v;
    }
    return "";
  }

  /** Every value of `name`, body values first. */
  getAll(name: string): string[] {
    return this.#params.flatMap((p) => p.getAll(name));
  }
}

/** A parsing failure of `parseTime`, worded as Prometheus's. */
export class TimeParseError extends ApiError {
  constructor(input: string) {
    super("bad_data", `cannot parse ${goQuote(input)} to a valid timestamp`);
  }
}

// Go's strconv.ParseFloat syntax: decimal with optional exponent, underscores between digits,
// hexadecimal with a mandatory p exponent, and inf/infinity/nan in any case.
const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX = /^[+-]?0[xX](?:[0-9a-fA-F](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F]*)?|\.[0-9a-fA-F]+)[pP][+-]?\d+$/;
const SPECIAL = /^[+-]?(?:inf|infinity)$/i;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a time as Prometheus's API does: unix seconds with decimals (rounded to ms) or RFC 3339
 * with optional fractional seconds (truncated to ms), returning ms. Prometheus lets Go's float to
 * int conversion turn NaN, infinities and out-of-range seconds into arbitrary times; here
 * infinities and out-of-range values clamp to MIN/MAX_TIME_MS and NaN is refused.
 */
export function parseTime(s: string): number {
  if (DECIMAL.test(s) || HEX.test(s) || SPECIAL.test(s)) {
    const f = parseGoFloat(s);
    if (f !== undefined) return secondsToMs(f);
  }
  const m = RFC3339.exec(s);
  if (m !== null) {
    const ms = rfc3339ToMs(m);
    if (ms !== undefined) return ms;
  }
  // Go's time.Parse handles only 4-digit years; Prometheus special-cases its own bounds' formatting.
  if (s === "-292273086-05-16T16:47:06Z") return MIN_TIME_MS;
  if (s === "292277025-08-18T07:12:54.999999999Z") return MAX_TIME_MS;
  throw new TimeParseError(s);
}

/** Parses the time parameter `name`, `fallback` when absent, failing as Prometheus's parseTimeParam. */
export function parseTimeParam(form: FormValues, name: string, fallback: number): number {
  const value = form.get(name);
  if (value === "") return fallback;
  try {
    return parseTime(value);
  } catch (err) {
    throw invalidParamError(name, `invalid time value for '${name}': ${(err as Error).message}`);
  }
}

/** Parses the `limit` parameter: 0 (no limit) when absent; a non-negative integer otherwise. */
export function parseLimitParam(form: FormValues): number {
  const s = form.get("limit");
  if (s === "") return 0;
  if (!/^[+-]?\d+$/.test(s)) throw invalidParamError("limit", `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw invalidParamError("limit", `strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  if (n < 0) throw invalidParamError("limit", "limit must be non-negative");
  return n;
}

/**
 * Parses Go's strconv.ParseFloat syntax (underscores, hex with exponent, inf/infinity in any
 * case); undefined for anything else, for NaN and for a value that overflows float64.
 */
export function parseGoFloat(s: string): number | undefined {
  if (!DECIMAL.test(s) && !HEX.test(s) && !SPECIAL.test(s)) return undefined;
  if (SPECIAL.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  const clean = s.replace(/_/g, "");
  let f: number;
  if (HEX.test(s)) {
    const hm = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(clean);
    if (hm === null) return undefined;
    const [, sign, int = "", frac = "", exp = "0"] = hm;
    const mantissa = parseInt(int || "0", 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0);
    f = (sign === "-" ? -1 : 1) * mantissa * 2 ** Number(exp);
  } else {
    f = Number(clean);
  }
  // Go's ParseFloat reports overflow as an error (so "1e400" cannot be parsed at all).
  return Number.isFinite(f) ? f : undefined;
}

function secondsToMs(f: number): number {
  if (f === Infinity || f >= MAX_TIME_MS / 1000) return MAX_TIME_MS;
  if (f === -Infinity || f <= MIN_TIME_MS / 1000) return MIN_TIME_MS;
  // As Prometheus: whole seconds, plus the fraction rounded half away from zero to ms.
  const whole = Math.trunc(f);
  const frac = f - whole;
  return whole * 1000 + Math.sign(frac) * Math.round(Math.abs(frac) * 1000);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function rfc3339ToMs(m: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, mi, se, frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > days) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  let offsetMin = 0;
  if (zone !== "Z") {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 24 || zm > 59) return undefined;
    offsetMin = (zone[0] === "-" ? -1 : 1) * (zh * 60 + zm);
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, Number(h), Number(mi), Number(se)));
  date.setUTCFullYear(year);
  const ms = Number((frac + "000").slice(0, 3));
  return date.getTime() + ms - offsetMin * 60_000;
}
