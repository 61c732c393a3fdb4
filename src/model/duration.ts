/**
 * Prometheus durations (`1h30m`, `250ms`, `1y2w`), as `model.ParseDuration` and
 * `model.Duration.String` in prometheus/common. Values are integer milliseconds in a `number`;
 * the range is Prometheus's (a Go `time.Duration`, about 292 years), well inside safe integers.
 */
import { DurationParseError } from "./errors.js";

const MS_PER_UNIT = {
  y: 365 * 24 * 3600 * 1000,
  w: 7 * 24 * 3600 * 1000,
  d: 24 * 3600 * 1000,
  h: 3600 * 1000,
  m: 60 * 1000,
  s: 1000,
  ms: 1,
} as const;

type Unit = keyof typeof MS_PER_UNIT;

// Units must appear in this order, each at most once.
const UNIT_ORDER: readonly Unit[] = ["y", "w", "d", "h", "m", "s", "ms"];

// Prometheus stores a duration as Go nanoseconds in an int64, so that is the limit it enforces.
const MAX_NANOS = (1n << 63n) - 1n;
const NANOS_PER_MS = 1_000_000n;

/** The longest duration Prometheus accepts, in milliseconds (just under 292 years). */
export const MAX_DURATION_MS = Number(MAX_NANOS / NANOS_PER_MS);

/**
 * Parses a Prometheus duration into milliseconds; units `y` (365d), `w`, `d`, `h`, `m`, `s`,
 * `ms` in descending order without repeats, or a bare `0`. Throws `DurationParseError`.
 */
export function parseDuration(input: string): number {
  if (input === "0") return 0;
  if (input === "") throw new DurationParseError(input, "empty duration string");
  const invalid = (): never => {
    throw new DurationParseError(input, "not a valid duration string");
  };
  let nanos = 0n;
  let lastUnit = -1;
  let s = input;
  while (s !== "") {
    const number = /^[0-9]+/.exec(s)?.[0];
    if (number === undefined) return invalid();
    s = s.slice(number.length);
    const unit = /^[^0-9]+/.exec(s)?.[0];
    if (unit === undefined) return invalid();
    s = s.slice(unit.length);
    const position = UNIT_ORDER.indexOf(unit as Unit);
    if (position < 0) throw new DurationParseError(input, `unknown unit ${JSON.stringify(unit)}`);
    if (position <= lastUnit) return invalid();
    lastUnit = position;
    nanos += BigInt(number) * BigInt(MS_PER_UNIT[unit as Unit]) * NANOS_PER_MS;
    if (nanos > MAX_NANOS) throw new DurationParseError(input, "duration out of range");
  }
  return Number(nanos / NANOS_PER_MS);
}

/** Like `parseDuration` but also accepts a leading `-`, as PromQL offsets and config fields do. */
export function parseDurationAllowNegative(input: string): number {
  if (!input.startsWith("-")) return parseDuration(input);
  return -parseDuration(input.slice(1)) || 0;
}

/**
 * Formats milliseconds in Prometheus's canonical form: `0s` for zero, largest units first, and
 * years or weeks only when they divide the whole duration (`90d`, not `12w6d`). Fractions of a
 * millisecond are dropped, as Prometheus does.
 */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) return "0s";
  let out = "";
  if (rest < 0) {
    out = "-";
    rest = -rest;
  }
  for (const unit of UNIT_ORDER) {
    const size = MS_PER_UNIT[unit];
    if ((unit === "y" || unit === "w") && rest % size !== 0) continue;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;

/**
 * Parses a duration as the Prometheus HTTP API does for `step`, `timeout` and the like: a float
 * number of seconds (`300`, `1.5`, `1e3`, Go's float syntax) or a duration (`5m`); returns
 * milliseconds, truncated toward zero. Throws `DurationParseError`.
 */
export function parseDurationOrFloatSeconds(input: string): number {
  const seconds = parseGoFloat(input);
  if (seconds !== undefined) {
    if (Number.isNaN(seconds)) throw new DurationParseError(input, "not a number");
    if (Math.abs(seconds * 1e9) >= 2 ** 63) {
      throw new DurationParseError(input, "cannot parse to a valid duration, it overflows int64");
    }
    return Math.trunc(seconds * 1000) || 0;
  }
  try {
    return parseDuration(input);
  } catch {
    throw new DurationParseError(input, "cannot parse to a valid duration");
  }
}

// Go's strconv.ParseFloat syntax, which Number() only partly shares (it takes "" and "0x10").
function parseGoFloat(s: string): number | undefined {
  if (DECIMAL_FLOAT.test(s)) return Number(s);
  if (SPECIAL_FLOAT.test(s)) return /nan/i.test(s) ? NaN : s.startsWith("-") ? -Infinity : Infinity;
  const hex = HEX_FLOAT.exec(s);
  if (hex === null) return undefined;
  const [, sign, whole = "", fraction = ""] = hex;
  if (whole === "" && fraction === "") return undefined;
  const mantissa = parseInt(`${whole}${fraction}` || "0", 16);
  const value = mantissa * 2 ** (Number(hex[4]) - 4 * fraction.length);
  return sign === "-" ? -value : value;
}
