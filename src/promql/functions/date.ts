/**
 * The date functions (year, month, day_of_month, …): the sample value is seconds since the Unix
 * epoch, read in UTC on the proleptic Gregorian calendar as Go's time package does after
 * Prometheus's `time.Unix(int64(v), 0)`.
 *
 * The float-to-int64 conversion truncates toward zero. NaN, ±Inf and values outside int64 become
 * -2^63 (what amd64, where Prometheus releases are built, yields for such conversions), and Go's
 * time arithmetic wraps that around: year(vector(NaN)) is 292277026596, as in Prometheus.
 */
import type { ValueFunction } from "./types.js";

const SECONDS_PER_DAY = 86400;
/** Go's unixToInternal + internalToAbsolute: where Unix seconds sit on its uint64 absolute clock. */
const UNIX_TO_ABSOLUTE = 9223372028715321600n;
const TWO_64 = 1n << 64n;

/** Whole days since 1970-01-01 of `time.Unix(int64(v), 0)`. */
function daysOf(v: number): number {
  const t = Math.trunc(v);
  if (Math.abs(t) < 2 ** 52) {
    let days = Math.floor(t / SECONDS_PER_DAY);
    const rest = t - days * SECONDS_PER_DAY;
    if (rest < 0) days--;
    else if (rest >= SECONDS_PER_DAY) days++;
    return days;
  }
  const sec = wrappedSeconds(v);
  return Number(floorDiv(sec, BigInt(SECONDS_PER_DAY)));
}

/** Seconds since midnight of `time.Unix(int64(v), 0)`. */
function secondOfDay(v: number): number {
  const t = Math.trunc(v);
  if (Math.abs(t) < 2 ** 52) return t - daysOf(v) * SECONDS_PER_DAY;
  const sec = wrappedSeconds(v);
  const day = BigInt(SECONDS_PER_DAY);
  return Number(sec - floorDiv(sec, day) * day);
}

/** Unix seconds of a value beyond 2^52, after Go's int64 conversion and uint64 clock wrap-around. */
function wrappedSeconds(v: number): bigint {
  const t = Number.isNaN(v) || !(Math.abs(v) < 2 ** 63) ? -(1n << 63n) : BigInt(Math.trunc(v));
  const absolute = (((t + UNIX_TO_ABSOLUTE) % TWO_64) + TWO_64) % TWO_64;
  return absolute - UNIX_TO_ABSOLUTE;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** One field of the proleptic Gregorian date of a day count (H. Hinnant's civil_from_days). */
function civil(days: number, field: "year" | "month" | "day"): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  if (field === "month") return month;
  if (field === "day") return doy - Math.floor((153 * mp + 2) / 5) + 1;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** year(): the calendar year. */
export const year: ValueFunction = (v) => civil(daysOf(v), "year");

/** month(): 1 (January) to 12. */
export const month: ValueFunction = (v) => civil(daysOf(v), "month");

/** day_of_month(): 1 to 31. */
export const dayOfMonth: ValueFunction = (v) => civil(daysOf(v), "day");

/** day_of_week(): 0 (Sunday) to 6. */
export const dayOfWeek: ValueFunction = (v) => {
  // 1970-01-01 was a Thursday.
  return ((((daysOf(v) + 4) % 7) + 7) % 7);
};

/** day_of_year(): 1 to 365, or 366 in leap years. */
export const dayOfYear: ValueFunction = (v) => {
  const days = daysOf(v);
  const m = civil(days, "month");
  const leapDay = m > 2 && isLeap(civil(days, "year")) ? 1 : 0;
  return (DAYS_BEFORE_MONTH[m - 1] as number) + leapDay + civil(days, "day");
};

/** days_in_month(): 28 to 31. */
export const daysInMonth: ValueFunction = (v) => {
  const days = daysOf(v);
  const m = civil(days, "month");
  return m === 2 && isLeap(civil(days, "year")) ? 29 : (DAYS_IN_MONTH[m - 1] as number);
};

/** hour(): 0 to 23. */
export const hour: ValueFunction = (v) => Math.floor(secondOfDay(v) / 3600);

/** minute(): 0 to 59. */
export const minute: ValueFunction = (v) => Math.floor((secondOfDay(v) % 3600) / 60);

/** The date functions by PromQL name. */
export const DATE_FUNCTIONS: ReadonlyMap<string, ValueFunction> = new Map<string, ValueFunction>([
  ["year", year],
  ["month", month],
  ["day_of_month", dayOfMonth],
  ["day_of_week", dayOfWeek],
  ["day_of_year", dayOfYear],
  ["days_in_month", daysInMonth],
  ["hour", hour],
  ["minute", minute],
]);
