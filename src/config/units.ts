/**
 * Byte sizes as Prometheus reads `body_size_limit` (`units.Base2Bytes` from alecthomas/units):
 * a sequence of decimal numbers each with a unit, where `KB` and `KiB` both mean 1024 bytes.
 * All units of one value use the same spelling family (`1GiB512MiB` or `1GB512MB`, not mixed).
 */
import { MeridianError } from "../model/index.js";

/** Raised when a byte size is not in `units.Base2Bytes` syntax. */
export class ByteSizeParseError extends MeridianError {
  /** The input that failed to parse. */
  readonly input: string;

  constructor(input: string, reason: string) {
    super("invalid_byte_size", `invalid byte size ${JSON.stringify(input)}: ${reason}`);
    this.input = input;
  }
}

const PREFIXES = ["K", "M", "G", "T", "P", "E"] as const;

// Base2Bytes tries the IEC spelling first and then the old one; a unit map per spelling keeps
// "1GiB512MB" an error, as it is in Go.
function unitMap(suffix: string): ReadonlyMap<string, number> {
  const map = new Map<string, number>([["B", 1]]);
  PREFIXES.forEach((p, i) => map.set(p + suffix, 1024 ** (i + 1)));
  return map;
}

const IEC_UNITS = unitMap("iB");
const OLD_UNITS = unitMap("B");

/** Parses a `units.Base2Bytes` size into a (possibly negative) number of bytes; throws `ByteSizeParseError`. */
export function parseBase2Bytes(input: string): number {
  const iec = parseUnit(input, IEC_UNITS);
  if (typeof iec === "number") return iec;
  const old = parseUnit(input, OLD_UNITS);
  if (typeof old === "number") return old;
  throw new ByteSizeParseError(input, old.reason);
}

// Mirrors units.ParseUnit: `[-+]?([0-9]*(\.[0-9]*)?[a-zA-Z]+)+`, or a bare "0".
function parseUnit(input: string, units: ReadonlyMap<string, number>): number | { reason: string } {
  let s = input;
  let negative = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    negative = s.startsWith("-");
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return { reason: "empty size" };
  let total = 0;
  while (s !== "") {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = m?.[1] ?? "";
    const fraction = m?.[2] ?? "";
    if (whole === "" && fraction === "") return { reason: "expected a number" };
    s = s.slice(m?.[0].length ?? 0);
    const unit = /^[^0-9.]*/.exec(s)?.[0] ?? "";
    s = s.slice(unit.length);
    const scale = units.get(unit);
    if (scale === undefined) return { reason: `unknown unit ${JSON.stringify(unit)}` };
    total += Number(`${whole || "0"}.${fraction || "0"}`) * scale;
  }
  if (total >= 2 ** 63) return { reason: "overflow" };
  return Math.trunc(negative ? -total : total);
}
