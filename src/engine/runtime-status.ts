import { availableParallelism, hostname } from "node:os";
import type { RuntimeInfo } from "../api/index.js";
import { formatDuration } from "../model/index.js";
import type { Clock } from "../runtime/index.js";

/**
 * The process facts `/api/v1/status/runtimeinfo` reports, with the outcome of the configuration
 * reloads run through `track`.
 */
export class RuntimeStatus {
  readonly #clock: Clock;
  readonly #retention: string;
  readonly #startTime: number;
  #reloadSuccess = false;
  #lastConfigTime: number | undefined;

  /** `retention` is worded as Prometheus words it (`15d`, `512MiB`, `15d or 512MiB`). */
  constructor(clock: Clock, retention: string) {
    this.#clock = clock;
    this.#retention = retention;
    this.#startTime = clock.now();
  }

  /** Runs a configuration reload, recording whether it succeeded and when. */
  async track<T>(reload: () => Promise<T>): Promise<T> {
    try {
      const out = await reload();
      this.#reloadSuccess = true;
      this.#lastConfigTime = this.#clock.now();
      return out;
    } catch (err) {
      this.#reloadSuccess = false;
      throw err;
    }
  }

  /** The facts now. */
  info(): RuntimeInfo {
    return {
      startTime: this.#startTime,
      cwd: process.cwd(),
      hostname: hostname(),
      serverTime: this.#clock.now(),
      reloadConfigSuccess: this.#reloadSuccess,
      lastConfigTime: this.#lastConfigTime,
      corruptionCount: 0,
      goroutineCount: 0,
      gomaxprocs: availableParallelism(),
      storageRetention: this.#retention,
    };
  }
}

/** Retention as Prometheus's runtime info words it: `15d`, `512MiB` or `15d or 512MiB`; "" for none. */
export function retentionText(retentionMs: number | undefined, retentionBytes: number | undefined): string {
  const parts: string[] = [];
  if (retentionMs) parts.push(formatDuration(retentionMs));
  if (retentionBytes) parts.push(base2Bytes(retentionBytes));
  return parts.join(" or ");
}

// alecthomas/units Base2Bytes.String(): each non-zero base-1024 digit with its unit, largest first.
function base2Bytes(n: number): string {
  const units = ["", "K", "M", "G", "T", "P", "E"];
  const out: string[] = [];
  let rest = Math.trunc(n);
  for (let i = 0; i < units.length && rest > 0; i++) {
    const digit = rest % 1024;
    if (digit !== 0) out.unshift(`${digit}${units[i]}${i === 0 ? "B" : "iB"}`);
    rest = Math.floor(rest / 1024);
  }
  return out.join("");
}
