import { pino, type Logger, type Level } from "pino";

/** Log levels accepted by `--log.level`. */
export const LOG_LEVELS: readonly Level[] = ["fatal", "error", "warn", "info", "debug", "trace"];

/** Options of `createLogger`. */
export interface LoggerOptions {
  /** Minimum level written; `info` by default. */
  readonly level?: Level;
  /** File descriptor or path to write to; standard error by default so stdout stays for output. */
  readonly destination?: number | string;
}

/**
 * Creates a structured JSON logger. Writes are synchronous: log volume is low and a process that
 * exits on a signal must not lose its last lines.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    { level: options.level ?? "info", base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: options.destination ?? 2, sync: true }),
  );
}

/** A logger that drops everything, for tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

export type { Logger, Level };
