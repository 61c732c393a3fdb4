/**
 * Duration parameters (`step`, `timeout`, `lookback_delta`) as Prometheus's API parses them: a
 * float number of seconds or a Prometheus duration such as `5m`.
 */
import { MeridianError, goQuote, parseDuration } from "../model/index.js";
import { parseGoFloat } from "./params.js";

// A Go time.Duration is int64 nanoseconds; float seconds beyond it are refused.
const MAX_NANOS = 2 ** 63;

/** A duration parameter Prometheus would refuse; `message` is its wording. */
export class DurationParamError extends MeridianError {
  constructor(message: string) {
    super("api_bad_duration", message);
  }
}

/**
 * Parses a duration as Prometheus's API `parseDuration`, returning milliseconds: fractional when
 * the seconds have sub-millisecond digits (kept to whole nanoseconds, as Go's time.Duration).
 * NaN seconds become a negative duration, as Go's float-to-int conversion makes them.
 */
export function parseDurationParam(s: string): number {
  const seconds = /^nan$/i.test(s) ? NaN : parseGoFloat(s);
  if (seconds !== undefined) {
    if (Number.isNaN(seconds)) return -MAX_NANOS / 1e6;
    const nanos = seconds * 1e9;
    if (nanos > MAX_NANOS || nanos < -MAX_NANOS) throw new DurationParamError(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    return Math.trunc(nanos) / 1e6 || 0;
  }
  try {
    return parseDuration(s);
  } catch {
    throw new DurationParamError(`cannot parse ${goQuote(s)} to a valid duration`);
  }
}
