// Go's spellings of durations, times and byte sizes, as promtool prints them.

/** A span of `ms` milliseconds as Go's `time.Duration.String()` prints it: `2h0m0s`, `39m45.001s`, `1ms`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const fraction = millis === 0 ? "" : `.${String(millis).padStart(3, "0").replace(/0+$/, "")}`;
  let out = `${seconds}${fraction}s`;
  if (hours > 0 || minutes > 0) out = `${minutes}m${out}`;
  if (hours > 0) out = `${hours}h${out}`;
  return sign + out;
}

/**
 * The whole second of `ms` (truncated toward zero, as Go's integer division) in UTC, as Go's
 * `time.Time.String()` prints it: `2023-11-14 22:13:20 +0000 UTC`.
 */
export function formatGoUtcSecond(ms: number): string {
  const d = new Date(Math.trunc(ms / 1000) * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const year = d.getUTCFullYear();
  const y = year < 0 ? `-${p(-year, 4)}` : p(year, 4);
  return `${y}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

const BINARY_PREFIXES = ["", "K", "M", "G", "T", "P", "E"];

/**
 * A byte count as `units.Base2Bytes.String()` (alecthomas/units) prints it: every non-zero base-1024
 * digit with its unit, largest first, e.g. `2KiB272B`, `1MiB`, `0B`.
 */
export function formatBase2Bytes(bytes: number): string {
  const parts: string[] = [];
  let n = Math.trunc(bytes);
  for (let i = 0; i < BINARY_PREFIXES.length; i++) {
    const digit = n % 1024;
    if (digit !== 0 || (i === 0 && n === 0)) parts.unshift(`${digit}${BINARY_PREFIXES[i]}${i === 0 ? "B" : "iB"}`);
    n = Math.trunc(n / 1024);
    if (n === 0) break;
  }
  return parts.join("");
}

/** What Go's `os` package says for the common file-system error codes. */
const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "not a directory",
  EACCES: "permission denied",
  EEXIST: "file exists",
  EISDIR: "is a directory",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
};

/** A Node file-system error as Go words it: `<op> <path>: <reason>`, e.g. `stat data: no such file or directory`. */
export function goPathError(op: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = (code !== undefined ? GO_ERRNO_TEXT[code] : undefined) ?? (err as Error).message;
  return `${op} ${path}: ${reason}`;
}
