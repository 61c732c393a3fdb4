import { BadRequestError } from "../errors.js";

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go `time.ParseDuration` string (`10s`, `1m30s`, `1.5h`, `250ms`) into milliseconds.
 * Consul reads `?wait=` with Go's parser, which differs from Prometheus's durations (fractions,
 * `us`/`ns`, no `d`), so this is written here rather than borrowed from `model`.
 */
export function parseGoDuration(input: string): number {
  let s = input;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw new BadRequestError(`invalid duration "${input}"`);
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length > 0) {
    const m = re.exec(s);
    if (!m) throw new BadRequestError(/^[\d.]+$/.test(s) ? `missing unit in duration "${input}"` : `invalid duration "${input}"`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    s = s.slice(m[0].length);
  }
  return sign * total;
}
